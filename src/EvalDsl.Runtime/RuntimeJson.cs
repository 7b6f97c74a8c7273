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
        PlanAndBaseline(plan, withBaseline, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the bytes of <see cref="PlanAndBaseline(EvalPlan, bool)"/> to <paramref name="output"/> as they are made.</summary>
    public static void PlanAndBaseline(EvalPlan plan, bool withBaseline, System.Buffers.IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WritePropertyName("plan");
        JsonSerializer.Serialize(writer, plan, Default.EvalPlan);
        writer.WriteBoolean("withBaseline", withBaseline);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The SHA-256 (lowercase hex) of <see cref="PlanAndBaseline(EvalPlan, bool)"/>, hashed as the JSON is written
    /// through one small buffer: the JSON of 100,000 cases (hundreds of megabytes) is never held.
    /// </summary>
    public static string PlanAndBaselineHash(EvalPlan plan, bool withBaseline)
    {
        using var hashing = new HashingWriter();
        PlanAndBaseline(plan, withBaseline, hashing);
        return hashing.Hex();
    }

    /// <summary>A buffer writer that hashes what is written into it and reuses its one buffer.</summary>
    private sealed class HashingWriter : System.Buffers.IBufferWriter<byte>, System.IDisposable
    {
        private readonly System.Security.Cryptography.IncrementalHash _hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[64 * 1024];

        public void Advance(int count) => _hash.AppendData(_buffer, 0, count);

        public System.Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (sizeHint > _buffer.Length) _buffer = new byte[sizeHint];
            return _buffer;
        }

        public System.Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public string Hex() => System.Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();

        public void Dispose() => _hash.Dispose();
    }
}
