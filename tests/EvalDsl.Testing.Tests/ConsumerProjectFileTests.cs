using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace EvalDsl.Testing.Tests;

public sealed class ConsumerProjectFileTests
{
    [Fact]
    public void The_test_packages_come_at_the_versions_of_Directory_Packages_props()
    {
        var props = XDocument.Load(Repository.PathOf("Directory.Packages.props"));
        string Central(string id) => props.Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;

        var project = XDocument.Parse(ConsumerProjectFile.Text("/packages", new Dictionary<string, string> { ["RootNamespace"] = "A&B" }, ("EvalDsl", "1.2.3-e2e")));

        var references = project.Descendants("PackageReference").Select(r => ((string)r.Attribute("Include")!, (string)r.Attribute("Version")!)).ToList();
        Assert.Equal(
            new[] { ("Microsoft.NET.Test.Sdk", Central("Microsoft.NET.Test.Sdk")), ("xunit", Central("xunit")), ("xunit.runner.visualstudio", Central("xunit.runner.visualstudio")), ("EvalDsl", "1.2.3-e2e") },
            references);
        Assert.Equal("Microsoft.NET.Sdk", (string?)project.Root!.Attribute("Sdk"));
        var properties = project.Root.Element("PropertyGroup")!.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value);
        Assert.Equal("net10.0", properties["TargetFramework"]);
        Assert.Equal("true", properties["TreatWarningsAsErrors"]);
        Assert.Equal("/packages", properties["RestorePackagesPath"]);
        Assert.Equal("A&B", properties["RootNamespace"]); // escaped in the text, whole in the XML
    }

    [Fact]
    public void A_package_without_a_central_version_is_a_clear_error()
    {
        var error = Assert.Throws<System.ArgumentException>(() => ConsumerProjectFile.VersionOf("No.Such.Package"));
        Assert.StartsWith("Directory.Packages.props has no version for No.Such.Package.", error.Message);
    }
}
