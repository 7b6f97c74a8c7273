using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EvalDsl.Diagnostics;

namespace EvalDsl.Tests;

/// <summary>Docs cannot drift: each descriptor has its page and each page its descriptor; each page's bad snippet gives its ID and its good snippet does not.</summary>
public sealed class DocsTests
{
    private static string DocsFolder => Repository.PathOf("docs", "diagnostics");

    public static IEnumerable<object[]> Ids() => DiagnosticDescriptors.All.Select(d => new object[] { d.Id });

    [Fact]
    public void Every_page_has_a_descriptor()
    {
        var pages = Directory.EnumerateFiles(DocsFolder, "EVAL*.md").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(i => i), pages.OrderBy(p => p));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_states_the_descriptor(string id)
    {
        var descriptor = DiagnosticDescriptors.Find(id)!;
        var page = Page(id);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page);
        Assert.Contains($"| {Diagnostic.SeverityWord(descriptor.DefaultSeverity)} | {descriptor.Category} | {(descriptor.IsConfigurable ? "yes" : "no")} |", page);
        Assert.Equal("https://github.com/evaldsl/evaldsl/blob/main/docs/diagnostics/" + id + ".md", descriptor.HelpLink);
        Assert.True(System.Uri.IsWellFormedUriString(descriptor.HelpLink, System.UriKind.Absolute));
        Assert.True(File.Exists(Path.Combine(DocsFolder, descriptor.HelpFile)), $"{descriptor.HelpFile} does not exist");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Bad_snippet_gives_the_diagnostic(string id)
    {
        var bad = Snippet(Page(id), "eval bad");
        if (id == DiagnosticDescriptors.NotText.Id)
        {
            Assert.Null(bad);
            return;
        }
        Assert.NotNull(bad);
        var diagnostics = Checker.Check(bad!, $"{id}.eval");
        Assert.Contains($": {Severity(id)} {id}: ", diagnostics);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Good_snippet_is_clean(string id)
    {
        var good = Snippet(Page(id), "eval good");
        Assert.NotNull(good);
        var diagnostics = Checker.Check(good!, $"{id}.eval");
        Assert.Equal("", diagnostics);
    }

    private static string Severity(string id) => Diagnostic.SeverityWord(DiagnosticDescriptors.Find(id)!.DefaultSeverity);

    private static string Page(string id) => File.ReadAllText(Path.Combine(DocsFolder, id + ".md")).Replace("\r\n", "\n");

    internal static string? Snippet(string page, string info)
    {
        var match = Regex.Match(page, "^```" + Regex.Escape(info) + "\n(.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }
}
