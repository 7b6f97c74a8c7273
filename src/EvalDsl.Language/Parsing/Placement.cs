using System;
using System.Collections.Generic;
using System.Linq;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>Where keywords may stand, for messages about misplaced lines.</summary>
internal static class Placement
{
    public static string Explain(Token<EvalToken> first, string blockName, IReadOnlyCollection<string> keywords)
    {
        var expected = StatementCursor.Join(keywords.Select(k => "'" + k + "'").ToArray());
        if (first.Kind != EvalToken.Word)
        {
            return $"Unexpected {StatementCursor.Describe(first)}; in a {blockName} a line starts with {expected}.";
        }
        var word = first.Span.ToStringValue();
        if (KeywordTable.Find(word) is { } keyword)
        {
            return $"'{word}' cannot stand in a {blockName}: it {keyword.Where}.";
        }
        var lower = word.ToLowerInvariant();
        if (lower != word && KeywordTable.Find(lower) is not null)
        {
            return $"Keywords are lower case: write '{lower}', not '{word}'.";
        }
        var suggestion = NameSuggester.Suggest(word, keywords, ignoreCase: true);
        return $"Unexpected {StatementCursor.Describe(first)}; in a {blockName} a line starts with {expected}." +
               (suggestion is null ? "" : $" Did you mean '{suggestion}'?");
    }
}
