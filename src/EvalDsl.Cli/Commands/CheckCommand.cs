using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using EvalDsl.Cli.Output;

namespace EvalDsl.Cli.Commands;

/// <summary><c>evaldsl check PATH…</c>: parse and analyse specs; exit 0 when no error, 1 when some, 2 on usage.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = PathsArgument();
        var format = FormatOption();
        var command = new Command("check", "Parse and analyse .eval specs (files or folders, recursively) and print every diagnostic.")
        {
            paths,
            format,
        };
        command.SetAction(parse => Execute(parse.GetValue(paths)!, parse.GetValue(format)!, output, error));
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

    private static int Execute(string[] paths, string format, TextWriter output, TextWriter error)
    {
        var compilation = Compile(paths, error, out var files);
        if (compilation is null) return Cli.Usage;
        DiagnosticFormatter.Write(format, compilation.Diagnostics, output);
        error.WriteLine(DiagnosticFormatter.Summary(compilation.Diagnostics, files));
        return compilation.HasErrors ? Cli.Failed : Cli.Success;
    }

    /// <summary>Loads and compiles the specs; null (after printing one line) when a path is wrong.</summary>
    internal static EvalCompilation? Compile(IEnumerable<string> paths, TextWriter error, out int files)
    {
        files = 0;
        var documents = SpecFiles.Load(paths, out var problem);
        if (documents is null)
        {
            error.WriteLine($"evaldsl: error: {problem}");
            return null;
        }
        files = documents.Count;
        return EvalCompilation.Create(documents, new EvalCompilationOptions
        {
            DataFiles = new DiskDataFiles(),
            DiagnosticOptions = new EditorConfigOptions(),
        });
    }
}
