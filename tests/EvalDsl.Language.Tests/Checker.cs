using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EvalDsl.Cli.Workspace;
using EvalDsl.Diagnostics;

namespace EvalDsl.Tests;

/// <summary>
/// Runs the front end on text or files and renders diagnostics as <c>path(line,col,endLine,endCol): severity ID: message</c>,
/// the MSBuild line format with the span's end added (as <c>csc -errorendlocation</c> prints it): goldens pin where a
/// diagnostic ends, not only where it starts. The end is exclusive: a span of one character at column 5 is <c>(l,5,l,6)</c>,
/// and an empty span (EVAL0001 at the end of a line that ends too early) has its end equal to its start.
/// The CLI keeps printing <c>path(line,col)</c>, which the contract fixes.
/// </summary>
internal static class Checker
{
    public static string Check(string text, string path = "test.eval") =>
        Render(EvalCompilation.Create(new[] { SpecDocument.FromText(path, text) }, new EvalCompilationOptions { DataFiles = new MemoryDataFiles(), UsedFiles = new MemoryDataFiles() }));

    public static string Check(params (string Path, string Text)[] files) =>
        Render(EvalCompilation.Create(files.Select(f => SpecDocument.FromText(f.Path, f.Text)), new EvalCompilationOptions { DataFiles = new MemoryDataFiles(), UsedFiles = new MemoryDataFiles() }));

    public static string Render(EvalCompilation compilation) =>
        string.Concat(compilation.Diagnostics.Select(d => Render(d) + "\n"));

    public static string Render(Diagnostic d)
    {
        var l = d.Location;
        return $"{l.Path}({l.Line},{l.Column},{l.EndLine},{l.EndColumn}): {Diagnostic.SeverityWord(d.Severity)} {d.Id}: {d.Message}";
    }

    /// <summary>Checks spec files on disk as the CLI does (data files, used files and .editorconfig from disk), printing paths relative to <paramref name="baseFolder"/>.</summary>
    public static string CheckFiles(string baseFolder, IEnumerable<string> files)
    {
        var documents = files.Select(f => SpecDocument.FromBytes(Path.GetRelativePath(baseFolder, f).Replace('\\', '/'), File.ReadAllBytes(f))).ToList();
        // Paths are given relative to the case folder, as a user in that folder would type them.
        var disk = new DiskDataFiles(baseFolder);
        return Render(EvalCompilation.Create(documents, new EvalCompilationOptions
        {
            DataFiles = disk,
            UsedFiles = disk,
            DiagnosticOptions = EditorConfigFiles.For(files, baseFolder),
        }));
    }

    private sealed class MemoryDataFiles : IDataFileProvider, IUsedFileProvider
    {
        public string? Read(string specPath, string relativePath, out string? problem)
        {
            problem = $"there is no file {relativePath}";
            return null;
        }
    }
}
