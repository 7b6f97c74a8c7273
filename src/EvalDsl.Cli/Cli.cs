using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using EvalDsl.Cli.Commands;

namespace EvalDsl.Cli;

/// <summary>The <c>evaldsl</c> command line. Exit codes: 0 success, 1 errors found (or launch blocked), 2 usage.</summary>
internal static class Cli
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("EvalDsl: behaviour specs for language models, checked like code and run as a launch gate.");
        root.Subcommands.Add(CheckCommand.Create(output, error));
        root.Subcommands.Add(CompileCommand.Create(output, error));
        root.Subcommands.Add(RunCommand.Create(output, error));
        root.Subcommands.Add(CalibrateCommand.Create(output, error));
        root.Subcommands.Add(ExplainCommand.Create(output, error));
        root.Subcommands.Add(ExplainCommand.CreateBehaviors(output));
        root.Subcommands.Add(InitCommand.Create(output, error));
        root.Subcommands.Add(RunCommand.Create(output, error, merge: true));
        root.Subcommands.Add(LspCommand.Create(error));
        root.Subcommands.Add(FormatCommand.Create(output, error));

        args = OptionalValues(args);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (args.Length == 0)
        {
            error.WriteLine("evaldsl: error: a command is required.");
            root.Parse(new[] { "--help" }).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return Usage;
        }
        var errors = parse.Errors.Select(e => e.Message).ToList();
        // A PATH argument that looks like an option and names no file is a mistyped option, not a missing file.
        if (parse.Errors.Count == 0 && parse.CommandResult.Command.Arguments.Any(a => a.Name == "PATH"))
        {
            foreach (var value in parse.CommandResult.Tokens.Select(t => t.Value))
            {
                if (value.StartsWith("-", System.StringComparison.Ordinal) && !File.Exists(value) && !Directory.Exists(value))
                {
                    errors.Add($"Unrecognized option '{value}'.");
                }
            }
        }
        if (errors.Count > 0)
        {
            foreach (var e in errors) error.WriteLine($"evaldsl: error: {e}");
            var path = CommandPath(parse.CommandResult.Command);
            root.Parse(path.Append("--help").ToArray()).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return Usage;
        }
        try
        {
            return parse.Invoke(configuration);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Redacted like every other message: an exception's text may quote a reply or a URL.
            error.WriteLine($"evaldsl: internal error: {ex.GetType().Name}: {EvalDsl.Runtime.Models.Secrets.Redact(ex.Message)}");
            error.WriteLine("This is a bug in evaldsl; please report it with the spec that caused it.");
            return Usage;
        }
    }

    // --require-calibration[=K]: its value is optional, and the parser would take the next argument (a PATH) for it;
    // given bare before anything but a number, it is given its default here.
    private static string[] OptionalValues(string[] args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] != "--require-calibration") continue;
            var next = i + 1 < list.Count ? list[i + 1] : null;
            if (next is not null && double.TryParse(next, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) continue;
            list[i] = "--require-calibration=" + RunCommand.DefaultKappaFloor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return list.ToArray();
    }

    private static string[] CommandPath(Command command)
    {
        var names = new System.Collections.Generic.List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }
        return names.ToArray();
    }
}
