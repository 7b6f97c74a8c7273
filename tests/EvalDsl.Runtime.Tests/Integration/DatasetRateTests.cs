using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary><c>pass N% of rows</c> end to end: the runner against the loopback server, a model wrong on 1 of 10 rows.</summary>
public sealed class DatasetRateTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        // Answers "What is N plus one?" with N+1, except for N = 7, where it says 9.
        _server.Register("one-off", request => Answer(request, wrongOn: 7));
        _server.Register("always-right", request => Answer(request, wrongOn: -1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Answer(ChatRequestInfo request, int wrongOn)
    {
        var n = int.Parse(Regex.Match(request.Messages.Last(m => m.Role == "user").Text, @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        return "The answer is " + (n == wrongOn ? n + 2 : n + 1) + ".";
    }

    private const string Spec = """
        suite "Arithmetic" {
          samples 3
          data numbers {
            n | next
            "0" | "1"
            "1" | "2"
            "2" | "3"
            "3" | "4"
            "4" | "5"
            "5" | "6"
            "6" | "7"
            "7" | "8"
            "8" | "9"
            "9" | "10"
          }
          case "lenient {n}" for each numbers {
            pass 80% of rows
            user "What is {n} plus one?"
            must contain "is {next}."
          }
          case "strict {n}" for each numbers {
            pass 95% of rows
            user "What is {n} plus one?"
            must contain "is {next}."
          }
        }
        """;

    private ModelBindings Bindings(string target) => new ModelBindings()
        .Bind("target", ModelReference.Parse($"openai:{target}@{_server.BaseUrl}"))
        .Bind("baseline", ModelReference.Parse($"openai:always-right@{_server.BaseUrl}"))
        .Bind("judge", ModelReference.Parse($"openai:judge@{_server.BaseUrl}"));

    private static RunOptions Fast => new() { RetryBaseDelay = TimeSpan.FromMilliseconds(2), RetryMaxDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Wrong_on_one_row_in_ten_passes_80_percent_of_rows_and_fails_95()
    {
        var result = await new EvalRunner(Bindings("one-off"), Fast).RunAsync(Specs.Plan(Spec), withBaseline: true);

        Assert.Equal(Verdict.Blocked, result.Verdict);
        Assert.Equal(2, result.Datasets.Count);
        var lenient = result.Datasets[0];
        var strict = result.Datasets[1];
        Assert.Equal("Arithmetic / lenient {n} (numbers)", lenient.Id);
        Assert.Equal(10, lenient.Rows.Count);
        Assert.Equal(80, lenient.RowsPass);

        var l = Assert.Single(lenient.Expectations);
        Assert.Equal(ExpectationStatus.Holds, l.Stats.Status);
        Assert.Equal((9, 1, 0), (l.Stats.Passes, l.Stats.Fails, l.Stats.Errors));
        Assert.Equal(0.9, l.Stats.Rate);
        Assert.Equal(0.595850, l.Stats.Lower, 6);
        // Per-row rates: every sample of row 8 (n = 7) fails.
        Assert.Equal(new double?[] { 1, 1, 1, 1, 1, 1, 1, 0, 1, 1 }, lenient.RowRates[0]);
        // Against an always-right baseline: 10 points lower, one discordant row (p = 1), no regression.
        Assert.Equal(-0.1, l.Comparison!.Delta!.Value, 12);
        Assert.Equal(1.0, l.Comparison.PValue);
        Assert.False(l.IsRegression);

        var s = Assert.Single(strict.Expectations);
        Assert.Equal(ExpectationStatus.Fails, s.Stats.Status);
        Assert.True(s.IsFailingMust);
        // It fails where the baseline holds: a regression.
        Assert.True(s.IsRegression);

        // The failing row is reported but blocks nothing alone.
        var row = result.Cases.Single(c => c.Id == "Arithmetic / lenient 7 #8");
        Assert.Equal(lenient.Id, row.Dataset);
        var rowExpectation = Assert.Single(row.Expectations);
        Assert.Equal(ExpectationStatus.Fails, rowExpectation.Stats.Status);
        Assert.False(rowExpectation.Blocking);
    }

    [Fact]
    public async Task The_reports_show_the_dataset_rate_interval_baseline_delta_and_per_row_rates()
    {
        var result = await new EvalRunner(Bindings("one-off"), Fast).RunAsync(Specs.Plan(Spec), withBaseline: true);
        using var temp = new TempFolder();
        var json = System.IO.Path.Combine(temp.Path, "results.json");
        var junit = System.IO.Path.Combine(temp.Path, "junit.xml");
        var html = System.IO.Path.Combine(temp.Path, "report.html");
        EvalDsl.Runtime.Reports.JsonReport.Write(result, json);
        EvalDsl.Runtime.Reports.JUnitReport.Write(result, junit);
        EvalDsl.Runtime.Reports.HtmlReport.Write(result, html);
        // Written a case at a time, the bytes of the whole result serialized as one document.
        Assert.Equal(Support.WholeDocumentJson.Serialize(result) + "\n", System.IO.File.ReadAllText(json));

        using (var doc = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(json)))
        {
            var root = doc.RootElement;
            Assert.Equal(3, root.GetProperty("schemaVersion").GetInt32());
            Assert.Equal(1, root.GetProperty("summary").GetProperty("datasetMustFailing").GetInt32());
            // The summary counts the datasets' expectations, not their 20 rows: 2 expectations, 1 must failing, no should.
            Assert.Equal(2, root.GetProperty("summary").GetProperty("expectations").GetInt32());
            Assert.Equal(1, root.GetProperty("summary").GetProperty("mustFailing").GetInt32());
            Assert.Equal(0, root.GetProperty("summary").GetProperty("shouldFailing").GetInt32());
            var lenient = root.GetProperty("datasets")[0];
            Assert.Equal(0.8, lenient.GetProperty("rowsPass").GetDouble());
            Assert.Equal(1.0, lenient.GetProperty("pass").GetDouble());
            var e = lenient.GetProperty("expectations")[0];
            Assert.Equal("holds", e.GetProperty("stats").GetProperty("status").GetString());
            Assert.Equal(0.9, e.GetProperty("stats").GetProperty("rate").GetDouble());
            Assert.Equal(-0.1, e.GetProperty("comparison").GetProperty("delta").GetDouble(), 12);
            Assert.Equal(0, lenient.GetProperty("rowRates")[0][7].GetDouble());
            // The failing row stays in the cases, marked with its dataset and not blocking.
            var row = root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "Arithmetic / lenient 7 #8");
            Assert.Equal("Arithmetic / lenient {n} (numbers)", row.GetProperty("dataset").GetString());
            Assert.False(row.GetProperty("expectations")[0].GetProperty("blocking").GetBoolean());
        }
        var read = EvalDsl.Runtime.Reports.JsonReport.Read(json);
        Assert.Equal(result.Datasets.Count, read.Datasets.Count);
        Assert.Equal(result.Datasets[0].RowsPass, read.Datasets[0].RowsPass);

        var xml = System.Xml.Linq.XDocument.Load(junit);
        var cases = xml.Descendants("testcase").ToList();
        // 20 rows and 2 datasets; only the strict dataset fails.
        Assert.Equal(22, cases.Count);
        var failed = Assert.Single(cases, c => c.Element("failure") is not null);
        Assert.Equal("strict {n} (10 rows of numbers, pass 95% of rows)", (string?)failed.Attribute("name"));
        Assert.Contains("pass rate 90% (9/10)", (string?)failed.Element("failure")!.Attribute("message"));
        var lenientCase = cases.Single(c => (string?)c.Attribute("name") == "lenient {n} (10 rows of numbers, pass 80% of rows)");
        Assert.Contains("per-row rates of must contain \"is {next}.\": #1 100%, #2 100%", lenientCase.Element("system-out")!.Value);
        Assert.Contains("#8 0%", lenientCase.Element("system-out")!.Value);

        var page = System.IO.File.ReadAllText(html);
        Assert.Contains("Per-row rates", page);
        Assert.Contains("10 rows × 3 samples", page);
        Assert.Contains("80% of rows", page);
    }

    [Fact]
    public async Task A_model_right_on_every_row_clears_both()
    {
        var result = await new EvalRunner(Bindings("always-right"), Fast).RunAsync(Specs.Plan(Spec));
        Assert.Equal(Verdict.Clear, result.Verdict);
        Assert.All(result.Datasets, d => Assert.Equal(ExpectationStatus.Holds, Assert.Single(d.Expectations).Stats.Status));
    }

    [Fact]
    public async Task The_generated_dataset_test_decides_over_the_rows_and_shares_the_rows_runs_with_the_row_tests()
    {
        var plan = Specs.Plan(Spec);
        var lenient = plan.Cases.Where(c => c.TitleTemplate == "lenient {n}").ToList();
        var strict = plan.Cases.Where(c => c.TitleTemplate == "strict {n}").ToList();
        void Configure(ModelBindings m) => m.Bind("target", ModelReference.Parse($"openai:one-off@{_server.BaseUrl}"));

        // The row tests first, as xunit may order them: the wrong row's test passes (a row decides nothing alone).
        foreach (var row in lenient) await SpecTest.RunAsync(row, Configure, output: null);
        var calls = _server.Requests.Count;
        var lines = new System.Collections.Generic.List<string>();
        var dataset = await SpecTest.RunDatasetAsync(lenient, Configure, lines.Add);
        Assert.Equal(calls, _server.Requests.Count);
        Assert.Equal(ExpectationStatus.Holds, Assert.Single(dataset.Expectations).Stats.Status);
        Assert.Equal(
            "lenient {n} (10 rows of numbers, pass 80% of rows):\n" +
            "gate.eval(19,10): must contain \"is {next}.\": holds: pass rate 90% (9/10), Wilson 95% [59.6%, 98.2%], required 80%\n" +
            "gate.eval(19,10): must contain \"is {next}.\": rows #1 100%, #2 100%, #3 100%, #4 100%, #5 100%, #6 100%, #7 100%, #8 0%, #9 100%, #10 100%",
            Assert.Single(lines));

        var failure = await Assert.ThrowsAsync<EvalExpectationException>(() => SpecTest.RunDatasetAsync(strict, Configure, output: null));
        Assert.Equal(
            "strict {n} (10 rows of numbers, pass 95% of rows): a must expectation fails over the rows.\n" +
            "gate.eval(24,10): must contain \"is {next}.\": pass rate 90% (9/10), Wilson 95% [59.6%, 98.2%], required 95%",
            failure.Message);
    }
}
