using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EvalDsl.Runtime.Execution;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime;

/// <summary>
/// Compile-time JSON metadata of the types a run writes and reads on every call and sample (the journal's lines, the
/// recorded exchanges, the plan's fingerprint, the JSON report). Without it, System.Text.Json builds the metadata by
/// reflection and emits accessors at run time: about a third of the CPU time of a short run. It changes no byte: each
/// option set keeps its naming policy, converters and encoder, and a type missing here still falls back to reflection.
/// </summary>
[JsonSerializable(typeof(Journal.Header))]
[JsonSerializable(typeof(Journal.Entry))]
[JsonSerializable(typeof(Journal.Call))]
[JsonSerializable(typeof(Exchange))]
[JsonSerializable(typeof(EvalPlan))]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class RuntimeJson : JsonSerializerContext
{
    /// <summary>This metadata first, reflection for anything else.</summary>
    public static IJsonTypeInfoResolver Resolver { get; } = JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver());

    /// <summary>
    /// Writes <c>{"plan":…,"withBaseline":…}</c> exactly as <c>JsonSerializer.SerializeToUtf8Bytes(new { plan, withBaseline })</c>
    /// does with the default options (the run's fingerprint: a journal written before must still resume).
    /// </summary>
    public static byte[] PlanAndBaseline(EvalPlan plan, bool withBaseline)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("plan");
            JsonSerializer.Serialize(writer, plan, Default.EvalPlan);
            writer.WriteBoolean("withBaseline", withBaseline);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
