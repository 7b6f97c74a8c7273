using System;
using System.IO;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Runtime.Tests.Reports;

/// <summary>A temporary folder holding the three reports of <see cref="SampleRunResult"/>; deleted on dispose.</summary>
internal sealed class ReportFolder : IDisposable
{
    public ReportFolder()
        : this(SampleRunResult.Create())
    {
    }

    public ReportFolder(RunResult result)
    {
        Result = result;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "evaldsl-reports-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        JsonReport.Write(result, Json);
        JUnitReport.Write(result, JUnit);
        HtmlReport.Write(result, Html);
    }

    public RunResult Result { get; }

    public string Path { get; }

    public string Json => System.IO.Path.Combine(Path, JsonReport.FileName);

    public string JUnit => System.IO.Path.Combine(Path, JUnitReport.FileName);

    public string Html => System.IO.Path.Combine(Path, HtmlReport.FileName);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder; nothing to lose
        }
    }
}
