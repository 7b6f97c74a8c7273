using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace EvalDsl.Cli.Tests;

/// <summary>
/// The tool as the README installs it: <c>dotnet pack</c> makes a pointer package and one package per platform, and
/// <c>dotnet tool install</c> from the packed folder gives a working <c>evaldsl</c>. Packs only this machine's
/// platform (the others take the same path in the SDK and would only cost build time), as ReadyToRun: the Native AOT
/// package of linux-x64 is left to bench/aot-smoke.sh, which packs, installs and runs it (minutes of compiling).
/// </summary>
public sealed class ToolPackageTests
{
    private static readonly TimeSpan DotnetDeadline = TimeSpan.FromMinutes(8);

    /// <summary>The assemblies of EvalDsl itself: each must carry precompiled code in a platform package.</summary>
    private static readonly string[] OwnAssemblies = { "evaldsl.dll", "EvalDsl.Language.dll", "EvalDsl.Plan.dll", "EvalDsl.Runtime.dll" };

    [Fact]
    public async Task The_packed_tool_is_ReadyToRun_for_this_platform_and_installs_and_runs()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var shipped = ShippedRuntimeIdentifiers();
        Assert.Contains("any", shipped);
        Assert.Contains("linux-x64", shipped);
        if (!shipped.Contains(rid)) rid = "any";

        using var temp = new TempFolder();
        var feed = Path.Combine(temp.Path, "feed");
        var version = Version();
        // Its own artifacts folder: the pack does not touch the build output the other tests run.
        // The Roslyn tests' package fixture packs too: one pack at a time (see PackLock).
        using (await PackLock.AcquireAsync(TimeSpan.FromMinutes(15)))
        {
            Dotnet(temp.Path, "pack", Repository.PathOf("src", "EvalDsl.Cli", "EvalDsl.Cli.csproj"), "-c", "Release",
                "--artifacts-path", Path.Combine(temp.Path, "artifacts"), "-o", feed, $"-p:ToolPackageRuntimeIdentifiers={rid}",
                // Not the Native AOT package of linux-x64: compiling it takes minutes (bench/aot-smoke.sh packs, installs and
                // runs it); this test checks the package shapes and the install, which are the same for it.
                "-p:EvalDslNativeAot=false");
        }

        // The pointer package names the platform package; dotnet tool install picks it.
        var pointer = Path.Combine(feed, $"EvalDsl.Cli.{version}.nupkg");
        var settings = XDocument.Parse(Entry(pointer, "tools/any/any/DotnetToolSettings.xml"));
        var packages = settings.Descendants("RuntimeIdentifierPackage")
            .Select(p => $"{(string?)p.Attribute("RuntimeIdentifier")} -> {(string?)p.Attribute("Id")}").ToList();
        Assert.Equal(new[] { $"{rid} -> EvalDsl.Cli.{rid}" }, packages);

        var platform = Path.Combine(feed, $"EvalDsl.Cli.{rid}.{version}.nupkg");
        foreach (var assembly in OwnAssemblies)
        {
            var precompiled = IsReadyToRun(platform, $"tools/net10.0/{rid}/{assembly}");
            Assert.True(precompiled == (rid != "any"), $"{assembly} in EvalDsl.Cli.{rid}: ReadyToRun is {precompiled}");
        }

        // Installed from the packed folder with a package cache of its own (a cached 0.1.0 would hide this build).
        var cache = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(temp.Path, "packages") };
        Dotnet(temp.Path, cache, "tool", "install", "EvalDsl.Cli", "--tool-path", Path.Combine(temp.Path, "tool"),
            "--add-source", feed, "--version", version);
        var evaldsl = Path.Combine(temp.Path, "tool", OperatingSystem.IsWindows() ? "evaldsl.exe" : "evaldsl");

        var shown = Run(temp.Path, evaldsl, "--version");
        Assert.Equal(0, shown.ExitCode);
        Assert.StartsWith(version + "+", shown.Output, StringComparison.Ordinal);

        var check = Run(Repository.PathOf("examples"), evaldsl, "check", "sycophancy.eval");
        Assert.Equal(0, check.ExitCode);
        Assert.Equal("", check.Output);
        Assert.Equal("1 file checked: 0 errors, 0 warnings, 0 info.\n", check.Error);
    }

    /// <summary>The platforms the project file ships the tool for.</summary>
    private static IReadOnlyList<string> ShippedRuntimeIdentifiers()
    {
        var project = XDocument.Load(Repository.PathOf("src", "EvalDsl.Cli", "EvalDsl.Cli.csproj"));
        // The unconditioned list (the native linux-x64 build narrows its own restore to linux-x64).
        var list = project.Descendants("RuntimeIdentifiers").Single(e => e.Parent?.Attribute("Condition") is null).Value;
        return list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string Version() =>
        XDocument.Load(Repository.PathOf("Directory.Build.props")).Descendants("Version").Single().Value;

    private static string Entry(string package, string name)
    {
        Assert.True(File.Exists(package), $"{Path.GetFileName(package)} was not packed");
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(name);
        Assert.True(entry is not null, $"{Path.GetFileName(package)} has no {name}: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(entry!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>Whether the assembly at <paramref name="name"/> in the package holds ReadyToRun code (a managed native header).</summary>
    private static bool IsReadyToRun(string package, string name)
    {
        Assert.True(File.Exists(package), $"{Path.GetFileName(package)} was not packed");
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(name);
        Assert.True(entry is not null, $"{Path.GetFileName(package)} has no {name}");
        using var bytes = new MemoryStream();
        using (var stream = entry!.Open()) stream.CopyTo(bytes);
        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        var cor = pe.PEHeaders.CorHeader;
        Assert.True(cor is not null, $"{name} is not a .NET assembly");
        return cor!.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static void Dotnet(string directory, params string[] args) => Dotnet(directory, new Dictionary<string, string?>(), args);

    private static void Dotnet(string directory, IDictionary<string, string?> environment, params string[] args)
    {
        var variables = new Dictionary<string, string?>(environment)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var all = args[0] is "pack" or "build" ? args.Concat(new[] { "-nodeReuse:false", "-tl:off" }) : args;
        var result = ChildProcess.RunAsync(ChildProcess.Describe(host, directory, variables, all), DotnetDeadline).GetAwaiter().GetResult();
        Assert.False(result.TimedOut, $"dotnet {string.Join(" ", args)} was killed after {DotnetDeadline.TotalMinutes} min:\n{result.Transcript}");
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(" ", args)} exited with {result.ExitCode}:\n{result.Transcript}");
    }

    private static ChildResult Run(string directory, string program, params string[] args)
    {
        var result = ChildProcess.RunAsync(ChildProcess.Describe(program, directory, null, args), CliRunner.RunDeadline).GetAwaiter().GetResult();
        Assert.False(result.TimedOut, $"{program} {string.Join(" ", args)} was killed");
        return result;
    }
}
