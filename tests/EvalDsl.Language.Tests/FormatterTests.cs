using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
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

    [Fact]
    public void Whitespace_alone_never_changes_the_result()
    {
        // Re-indent every statement with blanks and tabs, widen the gaps between tokens, add trailing blanks and
        // repeat blank lines: a file that differs from an example only in layout formats to the same text.
        var examples = Examples().Select(e => File.ReadAllText(Repository.PathOf((string)e[0]))).ToArray();
        Gen.Select(Gen.Int[0, examples.Length - 1], Gen.Int).Sample((example, seed) =>
        {
            var original = examples[example];
            var shuffled = Relayout(original, new Random(seed));
            Assert.Equal(SpecFormatter.Format(original), SpecFormatter.Format(shuffled));
        }, iter: 300);
    }

    [Fact]
    public void Mutated_examples_keep_their_tokens_and_format_to_a_fixed_point()
    {
        var examples = Examples().Select(e => File.ReadAllText(Repository.PathOf((string)e[0]))).ToArray();
        string[] vocabulary = { "  ", "\t", "\n", "\n\n", "{", "}", "|", ",", "# c", "\"\"\"", "\"s\"", "user \"x\"", "must not flatter the user", "\r\n" };
        var formattedCount = 0;
        var mutation = Gen.Select(Gen.Int[0, examples.Length - 1], Gen.Int[0, 3].Array[1, 5], Gen.Int.Array[5], Gen.Int[0, vocabulary.Length - 1].Array[5]);
        mutation.Sample((example, kinds, positions, words) =>
        {
            var text = new StringBuilder(examples[example]);
            for (var i = 0; i < kinds.Length; i++)
            {
                var at = (int)((uint)positions[i] % (uint)text.Length);
                var length = Math.Min(text.Length - at, 1 + (int)((uint)positions[i] % 40u));
                switch (kinds[i])
                {
                    case 0: text.Remove(at, length); break;
                    case 1: text.Insert(at, vocabulary[words[i]]); break;
                    case 2: text.Insert(at, text.ToString(at, length)); break;
                    default: text.Insert(at, "\n"); break;
                }
                if (text.Length == 0) text.Append('\n');
            }
            var input = text.ToString();
            var formatted = SpecFormatter.TryFormat("m.eval", input, out var output, out var errors);
            Assert.Equal(formatted, errors.Count == 0);
            if (!formatted) Assert.Same(input, output);
            else System.Threading.Interlocked.Increment(ref formattedCount);
            Assert.Equal(Significant(input), Significant(output));
            Assert.Equal(output, SpecFormatter.Format(output));
        }, iter: 500);
        // Most mutations still parse (a blank, a line break, a repeated piece): the property is tried on real layouts.
        Assert.True(formattedCount >= 75, $"only {formattedCount} of 500 mutated files were formatted");
    }

    /// <summary>The same file laid out at random: other indentation, wider gaps, trailing blanks, doubled blank lines.</summary>
    private static string Relayout(string text, Random random)
    {
        var source = new SourceText("spec.eval", text);
        Parser.Parse(source, out var lines);
        var sb = new StringBuilder();
        var next = 0;
        string Blanks(int max) => new string(' ', random.Next(max + 1)) + (random.Next(4) == 0 ? "\t" : "");
        for (var physical = 0; physical < source.LineCount; physical++)
        {
            var start = source.LineStart(physical);
            var end = source.LineEnd(physical);
            if (next < lines.Count && lines[next].Line == physical)
            {
                var line = lines[next++];
                sb.Append(Blanks(8));
                var last = line.Tokens.Length - 1;
                for (var i = 0; i <= last; i++)
                {
                    var token = line.Tokens[i];
                    if (i > 0)
                    {
                        var gap = LineTokenizer.Start(token) - LineTokenizer.End(line.Tokens[i - 1]);
                        if (gap > 0 || token.Kind is EvalToken.Comma or EvalToken.Pipe || line.Tokens[i - 1].Kind is EvalToken.Comma or EvalToken.Pipe ||
                            (i == last && token.Kind == EvalToken.LBrace))
                        {
                            sb.Append(' ').Append(Blanks(3));
                        }
                    }
                    sb.Append(token.Span.ToStringValue());
                }
                // The blanks before a trailing comment are kept as written (they may align comments): left alone.
                sb.Append(text, LineTokenizer.End(line.Tokens[last]), end - LineTokenizer.End(line.Tokens[last]));
                if (end == LineTokenizer.End(line.Tokens[last])) sb.Append(Blanks(2).Replace("\t", ""));
                sb.Append('\n');
                if (line.TextBlock is { Closing: { } closing })
                {
                    var closingLine = source.LineOf(closing.Start);
                    for (physical++; physical <= closingLine; physical++)
                    {
                        sb.Append(text, source.LineStart(physical), source.LineEnd(physical) - source.LineStart(physical)).Append('\n');
                    }
                    physical--;
                }
                continue;
            }
            var raw = text.Substring(start, end - start);
            if (raw.Trim().Length == 0)
            {
                sb.Append(Blanks(4)).Append('\n');
                if (random.Next(2) == 0) sb.Append('\n');
            }
            else
            {
                sb.Append(Blanks(6)).Append(raw.Trim()).Append(Blanks(2).Replace("\t", "")).Append('\n');
            }
        }
        return sb.ToString();
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
