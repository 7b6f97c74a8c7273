using System.Linq;
using EvalDsl.Lexing;

namespace EvalDsl.Tests;

public sealed class TokenizerTests
{
    private static string Lex(string line)
    {
        var tokens = LineTokenizer.Instance.TokenizeLine(line, 0, line.Length);
        var text = string.Join(" ", tokens.Tokens.Select(t => $"{t.Kind}({t.Span.ToStringValue()})"));
        return tokens.Comment.HasValue ? text + " #" + line.Substring(tokens.Comment.Start) : text;
    }

    [Theory]
    [InlineData("user \"Hi\" # comment", "Word(user) String(\"Hi\") ## comment")]
    [InlineData("user \"a # b\"", "Word(user) String(\"a # b\")")]
    [InlineData("user \"unterminated # not a comment", "Word(user) String(\"unterminated # not a comment)")]
    [InlineData("user \"esc \\\" quote\"", "Word(user) String(\"esc \\\" quote\")")]
    [InlineData("user \"\"\"", "Word(user) TextBlock(\"\"\")")]
    [InlineData("user \"\"\"   # trailing comment", "Word(user) TextBlock(\"\"\") ## trailing comment")]
    [InlineData("must match /a#b\\/c/ix", "Word(must) Word(match) Regex(/a#b\\/c/ix)")]
    [InlineData("must match /unclosed # x", "Word(must) Word(match) Regex(/unclosed # x)")]
    [InlineData("must not say a/b", "Word(must) Word(not) Word(say) Word(a) Symbol(/) Word(b)")]
    [InlineData("samples 5", "Word(samples) Number(5)")]
    [InlineData("pass 66.5%", "Word(pass) Percentage(66.5%)")]
    [InlineData("temperature -0.5", "Word(temperature) Number(-0.5)")]
    [InlineData("persona anxious-investor_2 {", "Word(persona) Word(anxious-investor_2) LBrace({)")]
    [InlineData("\"a\" | \"b\"", "String(\"a\") Pipe(|) String(\"b\")")]
    [InlineData("tags launch, sycophancy", "Word(tags) Word(launch) Comma(,) Word(sycophancy)")]
    [InlineData("must not mirror the user's opinion", "Word(must) Word(not) Word(mirror) Word(the) Word(user) Symbol(') Word(s) Word(opinion)")]
    [InlineData("  # only a comment", " ## only a comment")]
    public void Tokenizes_a_line(string line, string expected) => Assert.Equal(expected, Lex(line));
}
