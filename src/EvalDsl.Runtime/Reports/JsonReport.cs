using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// <c>results.json</c>: the whole <see cref="RunResult"/> as indented JSON, camelCase member names, enums as
/// camelCase strings (<c>"verdict": "blocked"</c>), timestamps in ISO 8601. <see cref="Read"/> reads it back.
/// </summary>
internal static class JsonReport
{
    /// <summary>The file name <c>evaldsl run --report DIR</c> writes.</summary>
    public const string FileName = "results.json";

    /// <summary>The serializer options of the report (camelCase, enums as strings, indented).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/> (UTF-8, no BOM), replacing the file.</summary>
    public static void Write(RunResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportText.WriteAtomically(path, stream =>
        {
            JsonSerializer.Serialize(stream, result, Options);
            stream.WriteByte((byte)'\n');
        });
    }

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a run result.</exception>
    public static RunResult Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize<RunResult>(stream, Options)
                ?? throw new InvalidDataException($"{path}: the file holds null, not a run result.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid EvalDsl run result: {e.Message}", e);
        }
    }

    /// <summary>Serializes <paramref name="result"/> to a string, as <see cref="Write"/> writes it.</summary>
    public static string Serialize(RunResult result) => JsonSerializer.Serialize(result, Options);

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
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
