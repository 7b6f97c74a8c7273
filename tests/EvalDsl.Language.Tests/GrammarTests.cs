using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace EvalDsl.Tests;

/// <summary>grammar/EvalDsl.ebnf is kept true: every example in it parses without a syntax error.</summary>
public sealed class GrammarTests
{
    private static string Grammar => File.ReadAllText(Repository.PathOf("grammar", "EvalDsl.ebnf")).Replace("\r\n", "\n");

    public static IEnumerable<object[]> Examples() =>
        Regex.Matches(Grammar, @"^\(\* example:[^\n]*\n(.*?)^\*\)$", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select((m, i) => new object[] { i + 1, m.Groups[1].Value });

    [Fact]
    public void The_grammar_has_examples() => Assert.True(Examples().Count() >= 12);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_parses_without_syntax_errors(int number, string example)
    {
        var diagnostics = Checker.Check(example, $"grammar-example-{number}.eval");
        Assert.DoesNotMatch(@"EVAL000\d", diagnostics);
    }

    [Fact]
    public void TextMate_grammar_is_valid_json()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.PathOf("grammar", "evaldsl.tmLanguage.json")));
        Assert.Equal("source.evaldsl", json.RootElement.GetProperty("scopeName").GetString());
    }
}
