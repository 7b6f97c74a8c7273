using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EvalDsl.Lexing;
using EvalDsl.Parsing;

namespace EvalDsl.Tests;

/// <summary>The keyword table is the one list of keywords: the docs and both grammars know every entry.</summary>
public sealed class KeywordTableTests
{
    public static TheoryData<string> Words()
    {
        var data = new TheoryData<string>();
        foreach (var keyword in KeywordTable.All) data.Add(keyword.Word);
        return data;
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void Keyword_is_documented_and_in_both_grammars(string word)
    {
        var whole = new Regex(@"\b" + word + @"\b");
        Assert.Matches(whole, File.ReadAllText(Repository.PathOf("docs", "LANGUAGE.md")));
        Assert.Matches(new Regex("\"" + word + "\""), File.ReadAllText(Repository.PathOf("grammar", "EvalDsl.ebnf")));
        Assert.Matches(whole, File.ReadAllText(Repository.PathOf("grammar", "evaldsl.tmLanguage.json")));
    }

    [Fact]
    public void Every_word_a_block_takes_is_in_the_table()
    {
        var lists = new[] { KeywordTable.File, KeywordTable.Suite, KeywordTable.Case, KeywordTable.Persona, KeywordTable.Behavior, KeywordTable.Openers };
        var missing = lists.SelectMany(l => l).Distinct().Where(w => KeywordTable.Find(w) is null).ToArray();
        Assert.Equal("", string.Join(", ", missing));
        Assert.All(KeywordTable.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Help), k.Word));
    }

    [Fact]
    public void Tokens_carry_their_real_line_and_column()
    {
        const string text = "suite \"S\" {\n  case \"c\" {\n    user \"Hi\"\n  }\n}\n";
        var third = text.IndexOf("    user", System.StringComparison.Ordinal);
        var end = text.IndexOf('\n', third);
        var tokens = LineTokenizer.Instance.TokenizeLine(text, third, end - third, line: 3).Tokens;
        var positions = string.Join(" ", tokens.Select(t => $"{t.Span.ToStringValue()}@{t.Span.Position.Line}:{t.Span.Position.Column}"));
        Assert.Equal("user@3:5 \"Hi\"@3:10", positions);
    }
}
