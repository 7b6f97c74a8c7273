using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using EvalDsl.Runtime;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl.json</c>, found in the first spec's folder or above it: default model bindings for specs that
/// ship their recordings (replay paths are relative to the file). Flags and environment variables win.
/// A binding is a reference (<c>"target": "replay:recordings/candidate"</c>) or an object
/// <c>{"ref": "openai:MODEL@URL", "key-env": "VARIABLE", "headers": {"Header": "value or env:VARIABLE"}}</c>.
/// </summary>
/// <remarks>
/// The file comes with the specs — from a repository, not from the user — so it must not be able to send a key
/// to a host it names: its live references (anything but <c>replay:</c>) are used only with the user's consent
/// (<c>--trust-config</c> or <c>EVALDSL_TRUST_CONFIG=1</c>), and their keys still follow the per-endpoint rule.
/// </remarks>
internal sealed class RunConfiguration
{
    public const string FileName = "evaldsl.json";

    /// <summary>One binding of the file.</summary>
    public sealed record Entry(ModelReference Reference, ModelConnection Connection);

    private RunConfiguration(string path, IReadOnlyDictionary<string, Entry> models, double? requireCalibration)
    {
        Path = path;
        Models = models;
        RequireCalibration = requireCalibration;
    }

    /// <summary>
    /// <c>"requireCalibration": K</c> (a κ floor) or <c>true</c> (the default floor): what <c>run --require-calibration</c>
    /// sets; null when absent or false.
    /// </summary>
    public double? RequireCalibration { get; }

    public string Path { get; }

    public IReadOnlyDictionary<string, Entry> Models { get; }

    public static RunConfiguration? Find(string specPath) => Locate(specPath) is { } path ? Load(path, DisplayPath(path)) : null;

    /// <summary>The full path of the evaldsl.json that applies to <paramref name="specPath"/>: in its folder or the nearest above it.</summary>
    public static string? Locate(string specPath)
    {
        var full = System.IO.Path.GetFullPath(specPath);
        var directory = Directory.Exists(full) ? full : System.IO.Path.GetDirectoryName(full);
        while (!string.IsNullOrEmpty(directory))
        {
            var candidate = System.IO.Path.Combine(directory, FileName);
            if (File.Exists(candidate)) return candidate;
            directory = System.IO.Path.GetDirectoryName(directory);
        }
        return null;
    }

    private static RunConfiguration Load(string fullPath, string display)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(fullPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var models = new Dictionary<string, Entry>(StringComparer.Ordinal);
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw new ModelSetupException($"{display}: the file must hold a JSON object");
            if (json.RootElement.TryGetProperty("models", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    var where = $"{display}: models.{property.Name}";
                    var (text, connection) = property.Value.ValueKind == JsonValueKind.Object ? ReadObject(property.Value, where) : (property.Value.GetString(), ModelConnection.Default);
                    if (!ModelReference.TryParse(text, out var reference, out var error))
                    {
                        throw new ModelSetupException($"{where}: {error}");
                    }
                    models[property.Name] = new Entry(reference!.RelativeTo(System.IO.Path.GetDirectoryName(fullPath)!), connection);
                }
            }
            double? floor = null;
            if (json.RootElement.TryGetProperty("requireCalibration", out var require))
            {
                floor = require.ValueKind switch
                {
                    JsonValueKind.True => RunCommand.DefaultKappaFloor,
                    JsonValueKind.False => null,
                    JsonValueKind.Number when require.GetDouble() is >= -1 and <= 1 => require.GetDouble(),
                    _ => throw new ModelSetupException($"{display}: requireCalibration must be true, false or a κ from -1 to 1"),
                };
            }
            return new RunConfiguration(display, models, floor);
        }
        catch (JsonException ex)
        {
            throw new ModelSetupException($"{display} is not valid JSON: {ex.Message.Split('.')[0]}");
        }
        catch (InvalidOperationException ex)
        {
            throw new ModelSetupException($"{display}: {ex.Message}");
        }
    }

    private static (string? Reference, ModelConnection Connection) ReadObject(JsonElement entry, string where)
    {
        string? reference = null;
        string? keyVariable = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in entry.EnumerateObject())
        {
            switch (field.Name)
            {
                case "ref":
                    reference = field.Value.GetString();
                    break;
                case "key-env":
                    keyVariable = field.Value.GetString();
                    if (string.IsNullOrWhiteSpace(keyVariable)) throw new ModelSetupException($"{where}.key-env must name an environment variable");
                    break;
                case "headers":
                    if (field.Value.ValueKind != JsonValueKind.Object) throw new ModelSetupException($"{where}.headers must be an object of header names and values");
                    foreach (var header in field.Value.EnumerateObject())
                    {
                        if (!ModelConnection.TryParseHeader(header.Name + ":" + header.Value.GetString(), out var name, out var value, out var problem))
                        {
                            throw new ModelSetupException($"{where}.headers: {problem}");
                        }
                        headers[name] = value;
                    }
                    break;
                default:
                    throw new ModelSetupException($"{where}: unknown field '{field.Name}'; a binding has ref, key-env and headers");
            }
        }
        if (reference is null) throw new ModelSetupException($"{where} has no \"ref\" (a model reference)");
        return (reference, new ModelConnection { KeyVariable = keyVariable, Headers = headers });
    }

    private static string DisplayPath(string configPath)
    {
        var relative = System.IO.Path.GetRelativePath(Environment.CurrentDirectory, configPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? configPath : relative.Replace('\\', '/');
    }
}
