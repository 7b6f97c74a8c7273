using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using EvalDsl.Runtime;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl.json</c>, found in the first spec's folder or above it: default model bindings for specs that
/// ship their recordings (replay paths are relative to the file). Flags and environment variables win.
/// </summary>
internal sealed class RunConfiguration
{
    public const string FileName = "evaldsl.json";

    private RunConfiguration(string path, IReadOnlyDictionary<string, ModelReference> models)
    {
        Path = path;
        Models = models;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, ModelReference> Models { get; }

    public static RunConfiguration? Find(string specPath)
    {
        var full = System.IO.Path.GetFullPath(specPath);
        var directory = Directory.Exists(full) ? full : System.IO.Path.GetDirectoryName(full);
        while (!string.IsNullOrEmpty(directory))
        {
            var candidate = System.IO.Path.Combine(directory, FileName);
            if (File.Exists(candidate)) return Load(candidate, DisplayPath(candidate));
            directory = System.IO.Path.GetDirectoryName(directory);
        }
        return null;
    }

    private static RunConfiguration Load(string fullPath, string display)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(fullPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var models = new Dictionary<string, ModelReference>(StringComparer.Ordinal);
            if (json.RootElement.TryGetProperty("models", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    if (!ModelReference.TryParse(property.Value.GetString(), out var reference, out var error))
                    {
                        throw new ModelSetupException($"{display}: models.{property.Name}: {error}");
                    }
                    models[property.Name] = reference!.RelativeTo(System.IO.Path.GetDirectoryName(fullPath)!);
                }
            }
            return new RunConfiguration(display, models);
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

    private static string DisplayPath(string configPath)
    {
        var relative = System.IO.Path.GetRelativePath(Environment.CurrentDirectory, configPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? configPath : relative.Replace('\\', '/');
    }
}
