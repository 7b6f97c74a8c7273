using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalDsl.Runtime.Models;

/// <summary>One recorded exchange: the request and the model's reply. A line of <c>exchanges.jsonl</c>.</summary>
internal sealed class Exchange
{
    /// <summary>
    /// The request's <see cref="ModelRequest.Key"/>, written first when recording, so that a replay finds a line's key
    /// without reading its messages (<see cref="ReplayStore"/>). Null in a line recorded before keys were written (the
    /// key is then computed from the request); a replay checks it against the request before it serves the line.
    /// </summary>
    public string? Key { get; set; }

    public List<TranscriptMessage> Messages { get; set; } = new();
    public double? Temperature { get; set; }
    public long? Seed { get; set; }
    public string Reply { get; set; } = "";

    // Not written: recordings made before keys were written repeat it as "request", which reading skips.
    [JsonIgnore]
    public ModelRequest Request => new(Messages, Temperature, Seed);

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = RuntimeJson.Resolver,
    };
}
