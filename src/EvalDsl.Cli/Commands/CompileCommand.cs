using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using EvalDsl.Cli.Output;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl compile PATH… -o DIR</c>: writes one C# xunit test class per suite (same diagnostics and exit codes as
/// <c>check</c>; a suite with errors is not written). <c>--project</c> also writes a ready test project.
/// </summary>
internal static class CompileCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = CheckCommand.PathsArgument();
        var format = CheckCommand.FormatOption();
        var outputDir = new Option<string>("--output", "-o") { Description = "The folder to write the .cs files to", Required = true, HelpName = "DIR" };
        var ns = new Option<string>("--namespace") { Description = "The namespace of the generated classes", DefaultValueFactory = _ => "EvalDsl.Specs", HelpName = "NAMESPACE" };
        var project = new Option<bool>("--project") { Description = "Also write a test project (EvalDsl.Specs.csproj) that builds and runs the generated tests" };
        var allowOutside = CheckCommand.AllowDataOutsideOption();
        var command = new Command("compile", "Compile .eval specs into C# xunit test classes: one class per suite, one test per case (one per data row).")
        {
            paths, outputDir, ns, project, format, allowOutside,
        };
        command.SetAction(parse => Execute(parse.GetValue(paths)!, parse.GetValue(outputDir)!, parse.GetValue(ns)!, parse.GetValue(project), parse.GetValue(format)!, parse.GetValue(allowOutside), output, error));
        return command;
    }

    private static int Execute(string[] paths, string outputDir, string @namespace, bool project, string format, bool allowDataOutside, TextWriter output, TextWriter error)
    {
        // A keyword part (My.int.Specs) is written escaped (My.@int.Specs), so that the classes compile.
        if (EvalCompilation.NamespaceOf(@namespace) is not { } escaped)
        {
            error.WriteLine($"evaldsl: error: '{@namespace}' is not a C# namespace.");
            return Cli.Usage;
        }
        var compilation = CheckCommand.Compile(paths, error, out var files, allowDataOutside);
        if (compilation is null) return Cli.Usage;
        DiagnosticFormatter.Write(format, compilation.Diagnostics, output);

        // #line names each spec relative to the generated file (the compiler resolves it from there), so stack
        // traces and debuggers find the .eval wherever the command ran and wherever the two folders move together.
        var outputFull = Path.GetFullPath(outputDir);
        var generated = compilation.GenerateTests(escaped, spec => Path.GetRelativePath(outputFull, Path.GetFullPath(spec)).Replace('\\', '/'));
        try
        {
            Directory.CreateDirectory(outputDir);
            foreach (var file in generated) File.WriteAllText(Path.Combine(outputDir, file.HintName), file.Text, new UTF8Encoding(false));
            if (project) File.WriteAllText(Path.Combine(outputDir, "EvalDsl.Specs.csproj"), ProjectText(), new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"evaldsl: error: cannot write to {outputDir}: {ex.Message}");
            return Cli.Usage;
        }

        var skipped = compilation.BrokenSuites();
        error.WriteLine(DiagnosticFormatter.Summary(compilation.Diagnostics, files) +
                        $" Wrote {generated.Count} test class{(generated.Count == 1 ? "" : "es")} to {outputDir}" +
                        (skipped.Count > 0 ? $"; not written because of errors: {string.Join(", ", skipped.Select(s => "'" + s + "'"))}." : "."));
        return compilation.HasErrors ? Cli.Failed : Cli.Success;
    }

    /// <summary>
    /// The packages of the project <c>--project</c> writes, besides EvalDsl.Runtime: the versions this repository
    /// builds and tests with, kept here because a user's machine has no Directory.Packages.props to read them from
    /// (<c>CompileCommandTests</c> fails when they differ from it).
    /// </summary>
    internal static readonly (string Id, string Version)[] TestPackages =
    {
        ("Microsoft.NET.Test.Sdk", "18.0.1"),
        ("xunit", "2.9.3"),
        ("xunit.runner.visualstudio", "3.1.5"),
    };

    private static string ProjectText()
    {
        var version = typeof(EvalDsl.Runtime.EvalRunner).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
        var references = string.Concat(TestPackages.Select(p => $"\n    <PackageReference Include=\"{p.Id}\" Version=\"{p.Version}\" />"));
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by evaldsl compile. Run the tests against a model with, for example:
                   EVALDSL_TARGET=openai:gpt-4o-mini EVALDSL_JUDGE=openai:gpt-4o dotnet test
                   EvalDsl.Runtime comes from the folder that dotnet pack EvalDsl.sln writes (artifacts/packages):
                   add it as a package source, beside nuget.org. -->
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
              </PropertyGroup>
              <ItemGroup>{references}
                <PackageReference Include="EvalDsl.Runtime" Version="{version}" />
              </ItemGroup>
            </Project>

            """;
    }
}
