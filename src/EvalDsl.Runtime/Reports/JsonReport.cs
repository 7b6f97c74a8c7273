using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// <c>results.json</c>: <c>schemaVersion</c>, the <c>tool</c> that wrote it and a <c>summary</c> of counts, then the
/// whole <see cref="RunResult"/> as indented JSON, camelCase member names, enums as camelCase strings
/// (<c>"verdict": "blocked"</c>), timestamps in ISO 8601. One unit for every share: a fraction from 0 to 1 (rates,
/// bounds, deltas, and each case's <c>pass</c> threshold). <see cref="Read"/> reads it back.
/// </summary>
public static class JsonReport
{
    /// <summary>The file name <c>evaldsl run --report DIR</c> writes.</summary>
    public const string FileName = "results.json";

    /// <summary>
    /// The version of the file's layout: 2 added schemaVersion, tool and summary, and made <c>pass</c> a fraction (0–1);
    /// 3 added <c>datasets</c> (the <c>pass N% of rows</c> results, with <c>pass</c> and <c>rowsPass</c> as fractions), each row
    /// case's <c>dataset</c>, and the summary's <c>datasetExpectations</c>, <c>datasetMustFailing</c> and <c>datasetMustUndecided</c>.
    /// Within 3, added members only: the outcome and status <c>notApplicable</c> (a guard that did not hold), each
    /// expectation's <c>stats.notApplicable</c> count and <c>flip</c> (Turn of Flip and Number of Flip of
    /// <c>in every reply</c>), each grade's <c>turnOfFlip</c> and <c>flips</c>, the summary's <c>notApplicable</c>, the run's
    /// <c>judgeTemperature</c> and <c>judgeSeed</c>, and a judged behaviour expectation's <c>calibration</c> (the judge's agreement on it, from <c>evaldsl calibrate</c>'s record),
    /// and a shard's <c>shard</c> (<c>i/n</c>, <c>run --shard</c>: its statistics cover the shard's samples only).
    /// </summary>
    public const int SchemaVersion = 3;

    /// <summary>The serializer options of the report (camelCase, enums as strings, indented).</summary>
    internal static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/> (UTF-8, no BOM), replacing the file.</summary>
    public static void Write(RunResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportText.WriteAtomically(path, stream =>
        {
            WriteTo(result, stream);
            stream.WriteByte((byte)'\n');
        });
    }

    /// <summary>The version of the tool, as <c>evaldsl --version</c> gives it (without a source revision).</summary>
    internal static string ToolVersion
    {
        get
        {
            var assembly = typeof(JsonReport).Assembly;
            var version = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
            var plus = version.IndexOf('+');
            return plus < 0 ? version : version.Substring(0, plus);
        }
    }

    /// <summary>The counts of the run (its <c>summary</c>).</summary>
    internal static JsonObject Summary(RunResult result)
    {
        // The expectations that decide: a dataset's rows count once, in their dataset.
        var expectations = result.Decisive.ToList();
        return new JsonObject
        {
            ["cases"] = result.Cases.Count,
            ["expectations"] = expectations.Count,
            ["mustFailing"] = expectations.Count(e => e.IsFailingMust),
            ["mustUndecided"] = expectations.Count(e => e.IsUndecidedMust),
            ["mustHolding"] = expectations.Count(e => e.IsHoldingMust),
            ["shouldFailing"] = expectations.Count(e => e.IsFailingShould),
            ["regressions"] = expectations.Count(e => e.IsRegression),
            ["notApplicable"] = expectations.Count(e => e.IsNotApplicable),
            ["datasetExpectations"] = result.Datasets.Sum(d => d.Expectations.Count),
            ["datasetMustFailing"] = result.Datasets.Sum(d => d.Expectations.Count(e => e.IsFailingMust)),
            ["datasetMustUndecided"] = result.Datasets.Sum(d => d.Expectations.Count(e => e.IsUndecidedMust)),
            ["samplesPlanned"] = result.Cases.Sum(c => c.Samples * (c.Baseline is null ? 1 : 2)),
            ["samplesFinished"] = result.Cases.Sum(c => c.Target.Count + (c.Baseline?.Count ?? 0)),
        };
    }

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a run result.</exception>
    internal static RunResult Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: the file holds no JSON object, so no run result.");
            // Schema 1 wrote pass as a percentage; 2 as a fraction like every other share.
            var schema = node["schemaVersion"]?.GetValue<int>() ?? 1;
            if (schema >= 2) ScalePass(node, 100);
            return node.Deserialize(RuntimeJson.Info<RunResult>(Options))
                ?? throw new InvalidDataException($"{path}: the file holds null, not a run result.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid EvalDsl run result: {e.Message}", e);
        }
    }

    /// <summary>Serializes <paramref name="result"/> to a string, as <see cref="Write"/> writes it.</summary>
    internal static string Serialize(RunResult result)
    {
        using var buffer = new MemoryStream();
        WriteTo(result, buffer);
        return new System.Text.UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Writes the report to <paramref name="stream"/> one case at a time: the run without its cases and datasets, then
    /// each case and each dataset serialized alone and written at once, so that the bytes of the whole report (tens of
    /// megabytes for 100,000 cases) are never held together. The bytes are those of serializing the whole
    /// <see cref="RunResult"/> as one document.
    /// </summary>
    private static void WriteTo(RunResult result, Stream stream)
    {
        // The run without its lists gives every other member, in the order (and with the conditions) of the serializer.
        var shell = JsonSerializer.SerializeToNode(result with { Cases = Array.Empty<CaseResult>(), Datasets = Array.Empty<DatasetResult>() }, RuntimeJson.Info<RunResult>(Options))!.AsObject();
        shell.Insert(0, "schemaVersion", SchemaVersion);
        shell.Insert(1, "tool", new JsonObject { ["name"] = "evaldsl", ["version"] = ToolVersion });
        shell.Insert(2, "summary", Summary(result));
        // The writer writes into a buffer that goes to the stream every 64 KB: the serializer flushes its writer after
        // every case, which on the file itself was a system call per case.
        var buffer = new ArrayBufferWriter<byte>(80 * 1024);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            Encoder = Options.Encoder,
            NewLine = "\n",
            IndentCharacter = Options.IndentCharacter,
            IndentSize = Options.IndentSize,
        });
        writer.WriteStartObject();
        foreach (var (name, value) in shell)
        {
            writer.WritePropertyName(name);
            switch (name)
            {
                case "cases":
                    // The model keeps each case's pass threshold as a percentage; the file, as a fraction.
                    WriteEach(writer, buffer, stream, result.Cases, c => c with { Pass = Fraction(c.Pass) });
                    break;
                case "expectations":
                    WriteEach(writer, buffer, stream, result.Cases.SelectMany(c => c.Expectations), e => e);
                    break;
                case "datasets":
                    WriteEach(writer, buffer, stream, result.Datasets, d => d with { Pass = Fraction(d.Pass), RowsPass = Fraction(d.RowsPass) });
                    break;
                case var _ when value is null:
                    writer.WriteNullValue();
                    break;
                default:
                    value.WriteTo(writer, Options);
                    break;
            }
        }
        writer.WriteEndObject();
        Drain(writer, buffer, stream);
    }

    /// <summary>What the writer holds, into the stream.</summary>
    private static void Drain(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream stream)
    {
        writer.Flush();
        stream.Write(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
    }

    /// <summary>
    /// Writes an array of <paramref name="items"/>, each as <paramref name="written"/> gives it (its shares as fractions),
    /// serialized straight into the writer. Any other list of the run would be written whole, as the serializer writes
    /// it, and its members lost here: the lists of <see cref="RunResult"/> are the cases, every case's expectations and
    /// the datasets.
    /// </summary>
    private static void WriteEach<T>(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream stream, IEnumerable<T> items, Func<T, T> written)
    {
        var info = RuntimeJson.Info<T>(Options);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            JsonSerializer.Serialize(writer, written(item), info);
            // Into the file as it goes: the writer holds one case at most.
            if (buffer.WrittenCount > 64 * 1024) Drain(writer, buffer, stream);
        }
        writer.WriteEndArray();
    }

    /// <summary>A percentage of the model (0–100) as the file's fraction (0–1).</summary>
    private static double Fraction(double percent) => Math.Round(percent * 0.01, 6);

    private static void ScalePass(JsonObject root, double factor)
    {
        foreach (var (list, name) in new[] { ("cases", "pass"), ("datasets", "pass"), ("datasets", "rowsPass") })
        {
            if (root[list] is not JsonArray items) continue;
            foreach (var c in items.OfType<JsonObject>())
            {
                if (c[name] is JsonValue v && v.TryGetValue<double>(out var pass)) c[name] = Math.Round(pass * factor, 6);
            }
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            // Readable text (emoji, accents, quotes, < and >) in a file that is never embedded in HTML;
            // control characters are still escaped.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NewLine = "\n",
            TypeInfoResolver = RuntimeJson.Resolver,
        };
        RuntimeJson.WithEnums(options, allowIntegerValues: false);
        options.MakeReadOnly();
        return options;
    }
}
