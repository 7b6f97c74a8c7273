using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using EvalDsl.Cli.Workspace;
using EvalDsl.LanguageServer;

namespace EvalDsl.Cli.Commands;

/// <summary><c>evaldsl lsp</c>: the language server over standard input and output, for editors.</summary>
internal static class LspCommand
{
    public static Command Create(TextWriter error)
    {
        var stdio = new Option<bool>("--stdio")
        {
            Description = "Speak LSP over standard input and output (the default and only transport; accepted because editors pass it)",
        };
        var command = new Command("lsp", "Run the language server (LSP 3.17 over standard input and output) that editors start: diagnostics as you type, hover, completion, quick fixes. See docs/LSP.md.")
        {
            stdio,
        };
        command.SetAction(_ => Execute(error));
        return command;
    }

    private static int Execute(TextWriter error)
    {
        // Standard output carries the protocol: nothing else may write to it.
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return LanguageServerHost.RunAsync(input, output, Options).GetAwaiter().GetResult();
    }

    /// <summary>What check builds for the same files: data and used files read under the workspace's policy, .editorconfig severities.</summary>
    internal static EvalCompilationOptions Options(IReadOnlyList<string> paths)
    {
        // A wrong evaldsl.json is check's usage error; in the editor the default policy applies and check says why.
        var policy = paths.Count == 0 ? new DataFilePolicy() : CheckCommand.DataPolicy(paths[0], out _) ?? new DataFilePolicy();
        var disk = new DiskDataFiles(null, policy);
        return new EvalCompilationOptions
        {
            DataFiles = disk,
            UsedFiles = disk,
            DiagnosticOptions = EditorConfigFiles.For(paths),
        };
    }
}
