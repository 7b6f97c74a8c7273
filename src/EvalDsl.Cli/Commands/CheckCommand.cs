using System;
using System.Collections.Generic;
using System.Linq;
using System.CommandLine;
using System.IO;
using EvalDsl.Cli.Output;
using EvalDsl.Cli.Workspace;

namespace EvalDsl.Cli.Commands;

/// <summary><c>evaldsl check PATH…</c>: parse and analyse specs; exit 0 when no error, 1 when some, 2 on usage.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = PathsArgument();
        var format = FormatOption();
        var allowOutside = AllowDataOutsideOption();
        var command = new Command("check", "Parse and analyse .eval specs (files or folders, recursively) and print every diagnostic.")
        {
            paths,
            format,
            allowOutside,
        };
        command.SetAction(parse => Execute(parse.GetValue(paths)!, parse.GetValue(format)!, parse.GetValue(allowOutside), output, error));
        return command;
    }

    internal static Argument<string[]> PathsArgument() => new("PATH")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = ".eval files, or folders searched recursively for them",
    };

    internal static Option<string> FormatOption()
    {
        var option = new Option<string>("--format")
        {
            Description = "How to print diagnostics: msbuild (file(line,col): severity ID: message), json, sarif (SARIF 2.1.0) or github (workflow commands)",
            DefaultValueFactory = _ => "msbuild",
            HelpName = "msbuild|json|sarif|github",
        };
        option.AcceptOnlyFromAmong(DiagnosticFormatter.Formats);
        return option;
    }

    internal static Option<bool> AllowDataOutsideOption() => new("--allow-data-outside")
    {
        Description = "Let data NAME from \"path\" read files outside the spec's folder tree (else only there and in the \"dataRoots\" of evaldsl.json)",
    };

    private static int Execute(string[] paths, string format, bool allowDataOutside, TextWriter output, TextWriter error)
    {
        var compilation = Compile(paths, error, out var files, allowDataOutside);
        if (compilation is null) return Cli.Usage;
        DiagnosticFormatter.Write(format, compilation.Diagnostics, output);
        error.WriteLine(DiagnosticFormatter.Summary(compilation.Diagnostics, files));
        return compilation.HasErrors ? Cli.Failed : Cli.Success;
    }

    /// <summary>Loads and compiles the specs; null (after printing one line) when a path is wrong.</summary>
    internal static EvalCompilation? Compile(IEnumerable<string> paths, TextWriter error, out int files, bool allowDataOutside = false)
    {
        files = 0;
        var list = paths.ToList();
        var documents = SpecFiles.Load(list, out var problem);
        var policy = documents is null ? null : DataPolicy(list[0], out problem);
        if (documents is null || policy is null)
        {
            error.WriteLine($"evaldsl: error: {problem}");
            return null;
        }
        policy.AllowOutside |= allowDataOutside;
        files = documents.Count;
        var disk = new DiskDataFiles(null, policy);
        var options = new EvalCompilationOptions
        {
            DataFiles = disk,
            UsedFiles = disk,
            DiagnosticOptions = EditorConfigFiles.For(documents.Select(d => d.Path).ToList()),
        };
        return EvalCompilation.Create(OneByOne(documents), options);
    }

    /// <summary>The loaded documents in order, each let go of once handed on: a file's bytes are not kept past its parse.</summary>
    private static IEnumerable<SpecDocument> OneByOne(IReadOnlyList<SpecDocument> documents)
    {
        var list = documents as List<SpecDocument>;
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            if (list is not null) list[i] = null!;
            yield return document;
        }
    }

    /// <summary>
    /// The data file policy: "dataRoots" and "maxDataFileBytes" of the evaldsl.json in the first path's folder or
    /// above it (the file run reads its models from), else the default. Null with a one-line problem when it is wrong.
    /// </summary>
    internal static DataFilePolicy? DataPolicy(string firstPath, out string? problem)
    {
        problem = null;
        if (RunConfiguration.Locate(firstPath) is not { } candidate) return new DataFilePolicy();
        var bytes = SafeFiles.CheckRegular(candidate) is null ? SafeFiles.ReadCapped(candidate, 1024 * 1024, out _) : null;
        var policy = bytes is null
            ? null
            : DataFilePolicy.Parse(new System.Text.UTF8Encoding(false).GetString(bytes), Path.GetDirectoryName(candidate)!, out problem);
        if (policy is null) problem = "it is not a regular file of at most 1 MB";
        if (problem is null) return policy;
        problem = $"{Path.GetRelativePath(Environment.CurrentDirectory, candidate)}: {problem}.";
        return null;
    }
}
