using System;
using System.Collections.Generic;
using System.Text;
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
/// option set keeps its naming policy, converters and encoder. There is no reflection fallback: the native (AOT) build
/// of the tool has none, so a type missing here fails the same way in every build, and the tests see it.
/// </summary>
[JsonSerializable(typeof(Journal.Header))]
[JsonSerializable(typeof(Journal.Entry))]
[JsonSerializable(typeof(Journal.Call))]
[JsonSerializable(typeof(Exchange))]
[JsonSerializable(typeof(EvalPlan))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(Journal.BatchLine))]
internal sealed partial class RuntimeJson : JsonSerializerContext
{
    /// <summary>The metadata of every type the run's option sets serialize.</summary>
    public static IJsonTypeInfoResolver Resolver => Default;

    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/> (whose resolver is <see cref="Resolver"/>).</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    /// <summary>
    /// Adds to <paramref name="options"/> enums as camelCase strings: one converter per enum a run writes, where the
    /// converter factory <c>JsonStringEnumConverter</c> would make them by reflection at run time.
    /// </summary>
    public static JsonSerializerOptions WithEnums(JsonSerializerOptions options, bool allowIntegerValues)
    {
        var converters = options.Converters;
        var policy = JsonNamingPolicy.CamelCase;
        converters.Add(new JsonStringEnumConverter<Verdict>(policy, allowIntegerValues));
        converters.Add(new JsonStringEnumConverter<Outcome>(policy, allowIntegerValues));
        converters.Add(new JsonStringEnumConverter<AnswerFlip>(policy, allowIntegerValues));
        converters.Add(new JsonStringEnumConverter<ExpectationStatus>(policy, allowIntegerValues));
        converters.Add(new JsonStringEnumConverter<Standing>(policy, allowIntegerValues));
        converters.Add(new JsonStringEnumConverter<EvalRole>(policy, allowIntegerValues));
        converters.Add(new JsonStringEnumConverter<EvalCheck>(policy, allowIntegerValues));
        return options;
    }

    /// <summary>
    /// Writes <c>{"template":…,"system":…,"attempts":…,"temperature":…,"seed":…}</c> exactly as serializing the
    /// anonymous object of those members with the default options does (the judge's fingerprint in a journal written
    /// before must still match).
    /// </summary>
    public static byte[] JudgeSettings(string template, string system, int attempts, double temperature, long? seed) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("template", template);
        writer.WriteString("system", system);
        writer.WriteNumber("attempts", attempts);
        writer.WriteNumber("temperature", temperature);
        if (seed is { } s) writer.WriteNumber("seed", s);
        else writer.WriteNull("seed");
        writer.WriteEndObject();
    });

    /// <summary>
    /// Writes <c>{"phrase":…,"Means":…,"Shows":[…],"Lacks":[…]}</c> exactly as serializing the anonymous object of
    /// those members with the default options does (a behaviour's hash in a calibration record).
    /// </summary>
    public static string Behavior(string phrase, string? means, IReadOnlyList<string> shows, IReadOnlyList<string> lacks) => Encoding.UTF8.GetString(Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("phrase", phrase);
        writer.WriteString("Means", means);
        Strings(writer, "Shows", shows);
        Strings(writer, "Lacks", lacks);
        writer.WriteEndObject();
    }));

    /// <summary>Writes <c>{"reply":…}</c> as serializing <c>new { reply }</c> with the default options does (a response cache file).</summary>
    public static string Reply(string reply) => Encoding.UTF8.GetString(Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("reply", reply);
        writer.WriteEndObject();
    }));

    /// <summary>Writes a JSON object of string members in order, as serializing a <c>Dictionary&lt;string, string&gt;</c> with the default options does.</summary>
    public static string Strings(IEnumerable<KeyValuePair<string, string>> members) => Encoding.UTF8.GetString(Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, value) in members) writer.WriteString(name, value);
        writer.WriteEndObject();
    }));

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var item in items) writer.WriteStringValue(item);
        writer.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }

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
