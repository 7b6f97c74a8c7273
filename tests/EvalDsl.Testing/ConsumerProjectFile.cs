using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace EvalDsl.Testing;

/// <summary>
/// The one project file of the test projects that tests write and build as a user would (a fresh xunit project
/// referencing packed EvalDsl packages): the test packages at the versions of the repository's
/// <c>Directory.Packages.props</c>, so that a version bump there reaches every consumer the tests build.
/// </summary>
public static class ConsumerProjectFile
{
    /// <summary>The packages every xunit test project needs, besides EvalDsl.</summary>
    public static readonly IReadOnlyList<string> TestPackages = new[] { "Microsoft.NET.Test.Sdk", "xunit", "xunit.runner.visualstudio" };

    private static readonly Lazy<IReadOnlyDictionary<string, string>> CentralVersions = new(() =>
    {
        var props = XDocument.Load(Repository.PathOf("Directory.Packages.props"));
        return props.Descendants("PackageVersion").ToDictionary(
            e => (string?)e.Attribute("Include") ?? throw new InvalidOperationException("A PackageVersion without Include in Directory.Packages.props."),
            e => (string?)e.Attribute("Version") ?? throw new InvalidOperationException($"PackageVersion {(string?)e.Attribute("Include")} has no Version in Directory.Packages.props."),
            StringComparer.OrdinalIgnoreCase);
    });

    /// <summary>Every <c>PackageVersion</c> of the repository's <c>Directory.Packages.props</c>, by package id.</summary>
    public static IReadOnlyDictionary<string, string> Versions => CentralVersions.Value;

    /// <summary>The version <c>Directory.Packages.props</c> gives <paramref name="id"/>.</summary>
    public static string VersionOf(string id) =>
        Versions.TryGetValue(id, out var version) ? version : throw new ArgumentException($"Directory.Packages.props has no version for {id}.", nameof(id));

    /// <summary>
    /// The text of a net10.0 xunit test project: nullable on, warnings as errors, no audit (the feed may be offline),
    /// its own packages folder, <see cref="TestPackages"/>, then <paramref name="packages"/>.
    /// </summary>
    /// <param name="restorePackagesPath">The NuGet packages folder of this project only, so no earlier EvalDsl can be served.</param>
    /// <param name="properties">More properties, after the common ones (<c>RootNamespace</c>, <c>ImplicitUsings</c>).</param>
    /// <param name="packages">The EvalDsl packages to reference, with their versions.</param>
    public static string Text(string restorePackagesPath, IEnumerable<KeyValuePair<string, string>> properties, params (string Id, string Version)[] packages)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var common = new[]
        {
            ("TargetFramework", "net10.0"), ("Nullable", "enable"), ("IsPackable", "false"), ("IsTestProject", "true"),
            ("TreatWarningsAsErrors", "true"), ("NuGetAudit", "false"), ("SatelliteResourceLanguages", "en"),
            ("RestorePackagesPath", restorePackagesPath),
        };
        var project = new XElement("Project",
            new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                common.Concat(properties.Select(p => (p.Key, p.Value))).Select(p => new XElement(p.Item1, p.Item2))),
            new XElement("ItemGroup",
                TestPackages.Select(id => (id, VersionOf(id))).Concat(packages).Select(p =>
                    new XElement("PackageReference", new XAttribute("Include", p.Item1), new XAttribute("Version", p.Item2)))));
        return project + "\n";
    }
}
