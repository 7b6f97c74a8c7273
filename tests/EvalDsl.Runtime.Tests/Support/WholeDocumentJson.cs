using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Runtime.Tests.Support;

/// <summary>
/// results.json as the report wrote it before it was streamed: the whole <see cref="RunResult"/> serialized as one JSON
/// document (every case in one tree), the shares scaled to fractions, schemaVersion, tool and summary put first. The
/// streaming writer (<see cref="JsonReport.Write"/>) must give exactly these bytes.
/// </summary>
internal static class WholeDocumentJson
{
    public static string Serialize(RunResult result)
    {
        var node = JsonSerializer.SerializeToNode(result, JsonReport.Options)!.AsObject();
        foreach (var (list, name) in new[] { ("cases", "pass"), ("datasets", "pass"), ("datasets", "rowsPass") })
        {
            if (node[list] is not JsonArray items) continue;
            foreach (var c in items.OfType<JsonObject>())
            {
                if (c[name] is JsonValue v && v.TryGetValue<double>(out var pass)) c[name] = Math.Round(pass * 0.01, 6);
            }
        }
        node.Insert(0, "schemaVersion", JsonReport.SchemaVersion);
        node.Insert(1, "tool", new JsonObject { ["name"] = "evaldsl", ["version"] = JsonReport.ToolVersion });
        node.Insert(2, "summary", JsonReport.Summary(result));
        return node.ToJsonString(JsonReport.Options);
    }
}
