using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EvalDsl.Editors.Tests;

/// <summary>
/// The VS Code extension under editors/vscode: its client type-checks (tsc --noEmit), vsce packages it into a .vsix
/// holding the grammar, language configuration, snippets and compiled client that package.json names, and its
/// snippets expand into specs the compiler parses. One class, so the runs that share the folder do not overlap.
/// </summary>
public sealed class VsCodeExtensionTests
{
    private static JsonElement Manifest() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Node.ExtensionFolder, "package.json"))).RootElement;

    [Fact]
    public void The_client_type_checks()
    {
        var tsc = Node.Package("typescript", "bin", "tsc");
        var result = Node.Run(tsc, "--noEmit", "-p", ".");
        Assert.True(result.ExitCode == 0, $"tsc --noEmit failed:\n{result.Output}{result.Error}");
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Vsce_packages_the_grammar_language_configuration_snippets_and_compiled_client()
    {
        var vsce = Node.Package("@vscode", "vsce", "vsce");
        using var folder = new TempFolder();
        var vsix = Path.Combine(folder.Path, "evaldsl.vsix");
        var result = Node.Run(vsce, "package", "--skip-license", "--allow-missing-repository", "--out", vsix);
        Assert.True(result.ExitCode == 0, $"vsce package failed:\n{result.Transcript}");

        using var zip = ZipFile.OpenRead(vsix);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var expected in new[]
                 {
                     "extension/package.json", "extension/language-configuration.json", "extension/snippets/evaldsl.json",
                     "extension/syntaxes/evaldsl.tmLanguage.json", "extension/out/extension.js",
                     "extension/node_modules/vscode-languageclient/package.json",
                 })
        {
            Assert.Contains(expected, entries);
        }
        Assert.DoesNotContain(entries, e => e.StartsWith("extension/src/", System.StringComparison.Ordinal) ||
                                            e.StartsWith("extension/node_modules/typescript/", System.StringComparison.Ordinal));

        // Every file the manifest points at is in the package.
        var manifest = Manifest();
        var contributes = manifest.GetProperty("contributes");
        var named = new List<string> { manifest.GetProperty("main").GetString()! + (manifest.GetProperty("main").GetString()!.EndsWith(".js") ? "" : ".js") };
        named.AddRange(contributes.GetProperty("languages").EnumerateArray().Select(l => l.GetProperty("configuration").GetString()!));
        named.AddRange(contributes.GetProperty("grammars").EnumerateArray().Select(g => g.GetProperty("path").GetString()!));
        named.AddRange(contributes.GetProperty("snippets").EnumerateArray().Select(s => s.GetProperty("path").GetString()!));
        foreach (var path in named) Assert.Contains("extension/" + path.TrimStart('.', '/'), entries);

        // The packaged grammar is the repository's grammar, byte for byte.
        using var packaged = new MemoryStream();
        using (var stream = zip.GetEntry("extension/syntaxes/evaldsl.tmLanguage.json")!.Open()) stream.CopyTo(packaged);
        Assert.Equal(File.ReadAllBytes(Repository.PathOf("grammar", "evaldsl.tmLanguage.json")), packaged.ToArray());

        // The compiled client starts `evaldsl lsp`, from the evaldsl.server.path setting.
        using var client = new StreamReader(zip.GetEntry("extension/out/extension.js")!.Open());
        var code = client.ReadToEnd();
        Assert.Contains("\"lsp\"", code);
        Assert.Contains("server.path", code);
    }

    [Fact]
    public void The_manifest_declares_the_language_its_grammar_and_the_server_setting()
    {
        var manifest = Manifest();
        var contributes = manifest.GetProperty("contributes");
        var language = Assert.Single(contributes.GetProperty("languages").EnumerateArray());
        Assert.Equal("evaldsl", language.GetProperty("id").GetString());
        Assert.Equal(new[] { ".eval" }, language.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));

        var grammar = Assert.Single(contributes.GetProperty("grammars").EnumerateArray());
        Assert.Equal("evaldsl", grammar.GetProperty("language").GetString());
        var source = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("grammar", "evaldsl.tmLanguage.json"))).RootElement;
        Assert.Equal(source.GetProperty("scopeName").GetString(), grammar.GetProperty("scopeName").GetString());

        var setting = contributes.GetProperty("configuration").GetProperty("properties").GetProperty("evaldsl.server.path");
        Assert.Equal("evaldsl", setting.GetProperty("default").GetString());

        var configuration = JsonDocument.Parse(File.ReadAllText(Path.Combine(Node.ExtensionFolder, "language-configuration.json"))).RootElement;
        Assert.Equal("#", configuration.GetProperty("comments").GetProperty("lineComment").GetString());
    }

    [Fact]
    public void The_indentation_rules_indent_after_a_header_and_not_after_a_brace_in_a_string()
    {
        var rules = JsonDocument.Parse(File.ReadAllText(Path.Combine(Node.ExtensionFolder, "language-configuration.json"))).RootElement.GetProperty("indentationRules");
        // VS Code reads these as JavaScript regexes; these patterns mean the same in .NET.
        var increase = new Regex(rules.GetProperty("increaseIndentPattern").GetString()!);
        var decrease = new Regex(rules.GetProperty("decreaseIndentPattern").GetString()!);
        Assert.Matches(increase, "  case \"a {x}\" for each rows {");
        Assert.Matches(increase, "suite \"S\" {   # a comment");
        Assert.DoesNotMatch(increase, "    user \"open {\"");
        Assert.DoesNotMatch(increase, "    # not a header {x");
        Assert.Matches(decrease, "  }");
        Assert.DoesNotMatch(decrease, "  user \"}\"");
    }

    public static IEnumerable<object[]> Snippets() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Node.ExtensionFolder, "snippets", "evaldsl.json"))).RootElement
            .EnumerateObject().Select(p => new object[] { p.Name });

    [Theory]
    [MemberData(nameof(Snippets))]
    public void A_snippet_with_its_defaults_is_a_spec_without_syntax_errors(string name)
    {
        var snippet = JsonDocument.Parse(File.ReadAllText(Path.Combine(Node.ExtensionFolder, "snippets", "evaldsl.json"))).RootElement.GetProperty(name);
        var body = string.Join("\n", snippet.GetProperty("body").EnumerateArray().Select(l => l.GetString()));
        // ${1:default} takes its default, ${1} and $0 nothing; \$ and \} are literal.
        var text = Regex.Replace(body, @"\$\{\d+:([^}]*)\}|\$\{\d+\}|\$\d+", m => m.Groups[1].Value);
        var first = text.TrimStart().Split(' ')[0];
        var spec = first switch
        {
            "suite" or "behavior" or "persona" => text,
            "case" or "data" => $"suite \"S\" {{\n{Indent(text, 1)}\n}}",
            "vary" => $"suite \"S\" {{\n  case \"c\" {{\n{Indent(text, 2)}\n    user \"Hi\"\n    must not flatter the user\n  }}\n}}",
            _ => $"suite \"S\" {{\n  case \"c\" {{\n    user \"Hi\"\n{Indent(text, 2)}\n  }}\n}}",
        };
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("snippet.eval", spec + "\n") });
        var syntax = compilation.Diagnostics.Where(d => string.CompareOrdinal(d.Id, "EVAL0100") < 0)
            .Select(d => $"{d.Location}: {d.Id}: {d.Message}").ToList();
        Assert.True(syntax.Count == 0, $"The snippet '{name}' expands to a spec with syntax errors:\n{spec}\n{string.Join("\n", syntax)}");
    }

    private static string Indent(string text, int depth) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : new string(' ', 2 * depth) + l));
}
