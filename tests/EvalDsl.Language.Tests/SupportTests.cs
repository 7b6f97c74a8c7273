using System.Collections.Generic;
using System.IO;
using EvalDsl.Binding;
using EvalDsl.Configuration;
using EvalDsl.Text;

namespace EvalDsl.Tests;

public sealed class SupportTests
{
    [Theory]
    [InlineData("validate impulsive actions", "validate impulsive action", 1)]
    [InlineData("ca", "abc", 2)]
    [InlineData("flatter teh user", "flatter the user", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Damerau_Levenshtein_distance(string a, string b, int expected) => Assert.Equal(expected, NameSuggester.Distance(a, b));

    [Theory]
    [InlineData("flatter teh usr", "flatter the user")]
    [InlineData("fuel angr", "fuel anger")]
    [InlineData("refuse to help", null)]
    [InlineData("Validate Doubts!", "validate doubts")]
    public void Suggests_within_a_third_of_the_typed_length(string typed, string? expected) =>
        Assert.Equal(expected, NameSuggester.Suggest(typed, new[] { "flatter the user", "fuel anger", "validate doubts", "refuse" }, ignoreCase: true));

    [Theory]
    [InlineData("*.eval", "a.eval", true)]
    [InlineData("*.eval", "sub/deep/a.eval", true)]
    [InlineData("*", "sub/a.eval", true)]
    [InlineData("sub/*.eval", "sub/a.eval", true)]
    [InlineData("sub/*.eval", "sub/x/a.eval", false)]
    [InlineData("/sub/**.eval", "sub/x/a.eval", true)]
    [InlineData("{a,b}.eval", "b.eval", true)]
    [InlineData("{a,b}.eval", "c.eval", false)]
    [InlineData("*.{eval,txt}", "deep/a.eval", true)]
    [InlineData("*.{eval,txt}", "a.cs", false)]
    [InlineData("{a,b}/**.eval", "b/x/y.eval", true)]
    [InlineData("{a,b}/**.eval", "c/x/y.eval", false)]
    [InlineData("file{1..3}.eval", "file2.eval", true)]
    [InlineData("file{1..3}.eval", "file4.eval", false)]
    [InlineData("[ab].eval", "a.eval", true)]
    [InlineData("[!ab].eval", "a.eval", false)]
    [InlineData("?.eval", "x.eval", true)]
    [InlineData("*.cs", "a.eval", false)]
    public void EditorConfig_sections_match_as_the_compiler_matches_them(string glob, string path, bool matches)
    {
        var folder = Path.GetFullPath("/specs-root");
        var options = new EditorConfigOptions(new[]
        {
            new KeyValuePair<string, string>(Path.Combine(folder, ".editorconfig"), $"root = true\n[{glob}]\ndotnet_diagnostic.EVAL0202.severity = error\n"),
        });
        Assert.Equal(matches ? "error" : null, options.GetOption(Path.Combine(folder, path), "dotnet_diagnostic.EVAL0202.severity"));
    }

    [Fact]
    public void Nearer_editorconfig_wins_root_stops_the_walk_and_category_keys_stay_readable()
    {
        var top = Path.GetFullPath("/ws");
        var options = new EditorConfigOptions(new[]
        {
            new KeyValuePair<string, string>(Path.Combine(top, ".editorconfig"), "[*.eval]\ndotnet_diagnostic.EVAL0202.severity = error\ndotnet_analyzer_diagnostic.category-Usage.severity = warning\n"),
            new KeyValuePair<string, string>(Path.Combine(top, "a", ".editorconfig"), "[*.eval]\ndotnet_diagnostic.EVAL0202.severity = none\n"),
            new KeyValuePair<string, string>(Path.Combine(top, "b", ".editorconfig"), "root = true\n[*.eval]\ndotnet_diagnostic.EVAL0106.severity = suggestion\n"),
        });

        Assert.Equal("none", options.GetOption(Path.Combine(top, "a", "x.eval"), "dotnet_diagnostic.EVAL0202.severity"));
        Assert.Equal("error", options.GetOption(Path.Combine(top, "c", "x.eval"), "dotnet_diagnostic.EVAL0202.severity"));
        Assert.Equal("warning", options.GetOption(Path.Combine(top, "a", "x.eval"), "dotnet_analyzer_diagnostic.category-Usage.severity"));
        Assert.Null(options.GetOption(Path.Combine(top, "b", "x.eval"), "dotnet_diagnostic.EVAL0202.severity"));
        Assert.Equal("suggestion", options.GetOption(Path.Combine(top, "b", "x.eval"), "dotnet_diagnostic.EVAL0106.severity"));
    }

    [Fact]
    public void Built_in_catalogue_has_the_fourteen_behaviors_in_order()
    {
        Assert.Equal(new[]
        {
            "flatter the user", "validate doubts", "fuel anger", "validate impulsive action", "reinforce negative emotions",
            "encourage emotional reliance", "mirror the user's opinion", "disagree when user is wrong", "mention risks",
            "suggest professional help", "admit uncertainty", "refuse", "hold its answer", "be consistent across NAME",
        }, System.Linq.Enumerable.Select(BehaviorCatalog.BuiltIn, b => b.Phrase));
        Assert.All(BehaviorCatalog.BuiltIn, b =>
        {
            Assert.NotEmpty(b.Means);
            Assert.NotEmpty(b.Shows);
            Assert.NotEmpty(b.Lacks);
            Assert.NotEmpty(b.Cites);
        });
    }

    /// <summary>
    /// Each judged built-in (all but the two comparatives) has at least six examples of each kind: the judge prompt shows
    /// the first two, and the rest are held out to calibrate the judge.
    /// </summary>
    [Fact]
    public void Every_judged_built_in_behavior_has_at_least_six_shows_and_six_lacks()
    {
        var judged = System.Linq.Enumerable.ToList(System.Linq.Enumerable.Where(BehaviorCatalog.BuiltIn,
            b => b.Phrase is not BehaviorCatalog.HoldsAnswer and not BehaviorCatalog.ConsistentAcross));
        Assert.Equal(12, judged.Count);
        Assert.All(judged, b =>
        {
            Assert.True(b.Shows.Count >= 6, $"'{b.Phrase}' has {b.Shows.Count} shows examples; it needs at least 6.");
            Assert.True(b.Lacks.Count >= 6, $"'{b.Phrase}' has {b.Lacks.Count} lacks examples; it needs at least 6.");
        });
    }

    /// <summary>
    /// No built-in example appears twice, within one behavior or across behaviors (compared ignoring case and runs of
    /// blanks), and every one is non-blank ASCII of at most 400 characters with no brace, as the catalogue's header asks.
    /// </summary>
    [Fact]
    public void Built_in_examples_are_unique_non_empty_ascii_and_at_most_400_characters()
    {
        var seen = new Dictionary<string, string>();
        foreach (var b in BehaviorCatalog.BuiltIn)
        {
            var examples = System.Linq.Enumerable.Concat(
                System.Linq.Enumerable.Select(b.Shows, s => (Kind: "shows", Text: s)),
                System.Linq.Enumerable.Select(b.Lacks, l => (Kind: "lacks", Text: l)));
            foreach (var (kind, text) in examples)
            {
                var where = $"'{b.Phrase}' ({kind})";
                Assert.False(string.IsNullOrWhiteSpace(text), $"{where} has an empty example.");
                Assert.True(text.Length <= 400, $"{where} has an example of {text.Length} characters: {text}");
                Assert.True(System.Linq.Enumerable.All(text, c => c is >= ' ' and <= '~'), $"{where} has a non-ASCII or control character: {text}");
                Assert.True(text.IndexOfAny(new[] { '{', '}' }) < 0, $"{where} has a brace: {text}");
                var key = BehaviorCatalog.KeyOf(text);
                Assert.False(seen.TryGetValue(key, out var first), $"{where} repeats an example of {first}: {text}");
                seen[key] = where;
            }
        }
    }
}
