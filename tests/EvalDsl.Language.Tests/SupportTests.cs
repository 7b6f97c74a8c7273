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
    [InlineData("file{1..3}.eval", "file2.eval", true)]
    [InlineData("file{1..3}.eval", "file4.eval", false)]
    [InlineData("[ab].eval", "a.eval", true)]
    [InlineData("[!ab].eval", "a.eval", false)]
    [InlineData("?.eval", "x.eval", true)]
    [InlineData("*.cs", "a.eval", false)]
    public void EditorConfig_globs(string glob, string path, bool matches) =>
        Assert.Equal(matches, EditorConfigFile.GlobToRegex(glob)!.IsMatch(path));

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
}
