using System.Collections.Generic;
using System.Text.Json;

namespace EvalDsl.Runtime.Models;

/// <summary>One recorded exchange: the request and the model's reply. A line of <c>exchanges.jsonl</c>.</summary>
internal sealed class Exchange
{
    public List<TranscriptMessage> Messages { get; set; } = new();
    public double? Temperature { get; set; }
    public long? Seed { get; set; }
    public string Reply { get; set; } = "";

    public ModelRequest Request => new(Messages, Temperature, Seed);

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = RuntimeJson.Resolver,
    };
}
