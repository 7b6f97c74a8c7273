using System.Collections.Generic;
using System.IO;
using System.Linq;
using EvalDsl.Formatting;
using EvalDsl.Lexing;
using EvalDsl.Parsing;
using EvalDsl.Text;

namespace EvalDsl.Tests;

/// <summary>
/// The formatter: golden pairs <c>Formatting/NN-name.in.eval</c> → <c>NN-name.out.eval</c> (EVALDSL_ACCEPT=1 rewrites
/// the outputs), idempotence over the examples and the goldens, and the property that formatting never changes
/// what the parser reads: the same tokens, comments and text-block lines, whitespace between tokens aside.
/// </summary>
public sealed class FormatterTests
{
    private static string Folder => Repository.PathOf("tests", "EvalDsl.Language.Tests", "Formatting");

    public static IEnumerable<object[]> Goldens() =>
        Directory.EnumerateFiles(Folder, "*.in.eval").Select(f => Path.GetFileName(f)[..^".in.eval".Length])
            .OrderBy(n => n, System.StringComparer.Ordinal).Select(n => new object[] { n });

    /// <summary>Every .eval file of the repository (examples, golden cases, docs snippets aside), by relative path.</summary>
    public static IEnumerable<object[]> SpecFiles() =>
        Directory.EnumerateFiles(Repository.Root, "*.eval", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "node_modules" or ".git"))
            .OrderBy(f => f, System.StringComparer.Ordinal).Select(f => new object[] { f });

    public static IEnumerable<object[]> Examples() =>
        SpecFiles().Where(f => ((string)f[0]).StartsWith("examples/", System.StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Formats_like_the_golden_output(string name)
    {
        var input = File.ReadAllText(Path.Combine(Folder, name + ".in.eval"));
        var expectedPath = Path.Combine(Folder, name + ".out.eval");
        var actual = SpecFormatter.Format(input);
        if (Repository.Accept) File.WriteAllText(expectedPath, actual);
        Assert.True(File.Exists(expectedPath), $"Formatting/{name} has no {name}.out.eval (run with EVALDSL_ACCEPT=1 and review it)");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Formatting_a_golden_twice_changes_nothing_more(string name)
    {
        var once = SpecFormatter.Format(File.ReadAllText(Path.Combine(Folder, name + ".in.eval")));
        Assert.Equal(once, SpecFormatter.Format(once));
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void Formatting_any_spec_of_the_repository_twice_changes_nothing_more(string file)
    {
        var once = SpecFormatter.Format(File.ReadAllText(Repository.PathOf(file)));
        Assert.Equal(once, SpecFormatter.Format(once));
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void Formatting_never_changes_the_token_stream(string file)
    {
        var input = File.ReadAllText(Repository.PathOf(file));
        var output = SpecFormatter.Format(input);
        Assert.Equal(Significant(input), Significant(output));
    }

    [Fact]
    public void A_file_with_a_syntax_error_is_left_as_it_is_and_its_errors_are_handed_back()
    {
        const string text = "suite  \"Broken\" {\n    case \"x\" {\n  user \"Hi\"   \"again\"\n  }\n}\n";
        Assert.False(SpecFormatter.TryFormat("broken.eval", text, out var formatted, out var errors));
        Assert.Same(text, formatted);
        var error = Assert.Single(errors);
        Assert.Equal("broken.eval(3,15): EVAL0001: Unexpected string \"again\"; expected the end of the line.",
            $"{error.Location}: {error.Id}: {error.Message}");
    }

    [Fact]
    public void A_formatted_file_hands_back_no_errors()
    {
        Assert.True(SpecFormatter.TryFormat("ok.eval", "suite \"A\" {\n case \"b\" {\n  user \"Hi\"\n }\n}", out var formatted, out var errors));
        Assert.Empty(errors);
        Assert.Equal("suite \"A\" {\n  case \"b\" {\n    user \"Hi\"\n  }\n}\n", formatted);
    }

    [Fact]
    public void An_empty_file_stays_empty_and_a_byte_order_mark_is_kept()
    {
        Assert.Equal("", SpecFormatter.Format(""));
        Assert.Equal("", SpecFormatter.Format("\n\n  \n"));
        Assert.Equal("\uFEFF# hi\n", SpecFormatter.Format("\uFEFF   # hi"));
    }

    /// <summary>
    /// What the parser reads of a file, whitespace between tokens aside: per statement its tokens (kind and text),
    /// its comment, and its text block's lines exactly; each comment line's text.
    /// </summary>
    internal static List<string> Significant(string text)
    {
        var source = new SourceText("spec.eval", text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text);
        Parser.Parse(source, out var lines);
        var result = new List<string>();
        var next = 0;
        for (var physical = 0; physical < source.LineCount; physical++)
        {
            var raw = source.Text[source.LineStart(physical)..source.LineEnd(physical)];
            if (next < lines.Count && lines[next].Line == physical)
            {
                var line = lines[next++];
                foreach (var token in line.Tokens) result.Add($"{token.Kind} {token.Span.ToStringValue()}");
                var end = LineTokenizer.End(line.Tokens[^1]) - source.LineStart(physical);
                var rest = raw[end..].Trim();
                if (rest.Length > 0) result.Add("comment " + rest);
                if (line.TextBlock is { } block)
                {
                    foreach (var content in block.Content) result.Add("text " + source.Text.Substring(content.Start, content.Length));
                    if (block.Closing is { } closing) physical = source.LineOf(closing.Start);
                }
                continue;
            }
            if (raw.Trim().Length > 0) result.Add("comment " + raw.Trim());
        }
        return result;
    }
}
