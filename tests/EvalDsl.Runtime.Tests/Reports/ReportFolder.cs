using System;
using EvalDsl.Testing;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Runtime.Tests.Reports;

/// <summary>A temporary folder holding the three reports of <see cref="SampleRunResult"/>; deleted on dispose.</summary>
internal sealed class ReportFolder : IDisposable
{
    private readonly TempFolder _folder = new();

    public ReportFolder()
        : this(SampleRunResult.Create())
    {
    }

    public ReportFolder(RunResult result)
    {
        Result = result;
        Path = _folder.Path;
        JsonReport.Write(result, Json);
        JUnitReport.Write(result, JUnit);
        HtmlReport.Write(result, Html);
    }

    public RunResult Result { get; }

    public string Path { get; }

    public string Json => System.IO.Path.Combine(Path, JsonReport.FileName);

    public string JUnit => System.IO.Path.Combine(Path, JUnitReport.FileName);

    public string Html => System.IO.Path.Combine(Path, HtmlReport.FileName);

    public void Dispose() => _folder.Dispose();
}
