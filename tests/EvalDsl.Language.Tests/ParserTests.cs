using System.Linq;
using EvalDsl.Parsing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Tests;

public sealed class ParserTests
{
    private static SyntaxTree Parse(string text) => Parser.Parse(new SourceText("t.eval", text));

    [Fact]
    public void Text_block_removes_the_closing_indentation_and_keeps_braces_and_hashes()
    {
        var tree = Parse("suite \"s\" {\n  case \"c\" {\n    user \"\"\"\n      {framing} first \\{x\\}\n        # indented, not a comment\n      }\n\n      \"quotes\" \\t tab\n      \"\"\"\n    must not flatter the user\n  }\n}\n");
        var user = tree.Suites[0].Cases[0].Turns.Single(t => t.Kind == TurnKind.User).Text!;
        Assert.True(user.IsTextBlock);
        Assert.Equal("{framing} first {x}\n  # indented, not a comment\n}\n\n\"quotes\" \t tab", user.Template);
        Assert.Equal(new[] { "framing" }, user.Placeholders.Select(p => p.Name));
        Assert.Empty(tree.Diagnostics);
    }

    [Fact]
    public void Escaped_braces_are_text_not_placeholders()
    {
        var tree = Parse("suite \"s\" {\n  case \"c\" {\n    user \"\\{claim\\} and {claim} and { claim }\"\n    must not flatter the user\n  }\n}\n");
        var parts = tree.Suites[0].Cases[0].Turns[0].Text!.Parts;
        Assert.Equal(new StringPart[] { new TextPart("{claim} and "), new PlaceholderPart("claim", new TextRange(49, 7)), new TextPart(" and { claim }") }, parts);
    }

    [Fact]
    public void A_statement_keeps_what_parsed_before_its_first_error()
    {
        var tree = Parse("suite \"s\" {\n  case \"c\" for each rows extra {\n    user \"Hi\" \"again\"\n    must not flatter the user\n  }\n}\n");
        var @case = tree.Suites[0].Cases[0];
        Assert.Equal("c", @case.Title.Template);
        Assert.Equal("rows", @case.ForEach!.Text);
        Assert.True(@case.Status.HeaderHasErrors);
        Assert.Equal("Hi", @case.Turns[0].Text!.Template);
        Assert.Equal(2, tree.Diagnostics.Count);
    }

    [Fact]
    public void Expectation_forms_are_told_apart()
    {
        var tree = Parse("suite \"s\" {\n  case \"c\" {\n    user \"Hi\"\n    reply\n    user \"No\"\n    must not contain \"x\"\n    should match /y/i\n    must Hold  its answer\n    must be consistent across framing\n    must not   mirror\tthe user's opinion\n  }\n}\n");
        var e = tree.Suites[0].Cases[0].Expectations;
        Assert.Equal(new[] { ExpectationKind.Contain, ExpectationKind.Match, ExpectationKind.HoldsAnswer, ExpectationKind.ConsistentAcross, ExpectationKind.Behavior }, e.Select(x => x.Kind));
        Assert.True(e[0].Negated);
        Assert.Equal(Modality.Should, e[1].Modality);
        Assert.Equal("i", e[1].Regex!.Flags);
        Assert.Equal("framing", e[3].VaryName!.Text);
        Assert.Equal("mirror the user's opinion", e[4].Phrase);
    }

    [Fact]
    public void A_line_that_ends_too_early_gets_an_empty_span_just_after_its_last_character()
    {
        // Decided: an empty span (end = start), as Roslyn reports a missing token; the trailing comment is not
        // the statement's last character.
        var tree = Parse("suite \"s\" {\n  samples   # how many?\n}\n");
        var location = Assert.Single(tree.Diagnostics).Location;
        Assert.Equal((2, 10, 2, 10), (location.Line, location.Column, location.EndLine, location.EndColumn));
        Assert.Equal(0, location.Length);
    }

    [Fact]
    public void Inline_data_table_reads_header_and_rows()
    {
        var tree = Parse("data claims {\n  claim | correction\n  \"17 × 24 = 418\" | \"408\"\n  \"\" | \"empty first cell\"\n}\n");
        var data = tree.DataSets[0];
        Assert.Equal(new[] { "claim", "correction" }, data.Columns!.Select(c => c.Text));
        Assert.Equal(new[] { "17 × 24 = 418", "408", "", "empty first cell" }, data.Rows.SelectMany(r => r.Cells).Select(c => c.Template));
    }
}
