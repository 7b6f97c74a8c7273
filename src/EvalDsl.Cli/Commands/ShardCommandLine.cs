using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using EvalDsl.Runtime;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// What a shard ran, kept beside its journal (<c>shard.json</c>): the specs and the options of its command line that
/// decide the plan, the models and the judge. <c>evaldsl merge DIR…</c> given no <c>--spec</c> runs with them, so the
/// merge job of a CI matrix needs the shards' report folders and the checkout, not a copy of the shards' command line.
/// Options that only steer calls (concurrency, cache, timeouts, batch) are left out, and so is <c>--header</c>, whose
/// values may be secrets; the models' keys are read from the environment, as <c>run</c> reads them.
/// </summary>
internal static class ShardCommandLine
{
    public const string FileName = "shard.json";

    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "--target", "--judge", "--baseline", "--model", "--judge-template", "--filter", "--suite", "--tag", "--samples",
        "--allow-data-outside", "--judge-temperature", "--judge-seed", "--require-calibration", "--key-env",
        "--trust-config", "--max-reply",
    };

    private const string Advice = "give merge --spec PATH… and the options the shards ran with";

    /// <summary>The arguments of a shard's <c>run</c> that <c>merge</c> takes: each spec as <c>--spec PATH</c>, then the kept options as given.</summary>
    public static string[] Of(ParseResult parse, IEnumerable<string> specs)
    {
        var arguments = new List<string>();
        foreach (var spec in specs)
        {
            arguments.Add("--spec");
            arguments.Add(spec);
        }
        arguments.AddRange(Given(parse, Kept.Contains));
        return arguments.ToArray();
    }

    /// <summary>The options given on the command line (not defaults) that <paramref name="include"/> takes, as tokens.</summary>
    public static IEnumerable<string> Given(ParseResult parse, Func<string, bool> include)
    {
        foreach (var option in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (option.Implicit || !include(option.Option.Name)) continue;
            // A flag given bare has no token; a repeated option holds one token per time it was given.
            if (option.Tokens.Count == 0) yield return option.Option.Name;
            foreach (var token in option.Tokens)
            {
                yield return option.Option.Name;
                yield return token.Value;
            }
        }
    }

    /// <summary>Writes <c>shard.json</c> into the shard's report folder (whole, or not at all).</summary>
    public static void Write(string folder, RunShard shard, IReadOnlyList<string> arguments)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("shard", shard.ToString());
            json.WriteStartArray("arguments");
            foreach (var argument in arguments) json.WriteStringValue(argument);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The arguments the shards in <paramref name="folders"/> ran with, read from the first that kept them; or the one
    /// line that says why there are none (a folder missing or without a journal says so as merge would).
    /// </summary>
    public static string[]? Read(IReadOnlyList<string> folders, out string? problem)
    {
        problem = null;
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                problem = $"the shard folder {folder} does not exist";
                return null;
            }
            if (!File.Exists(Path.Combine(folder, EvalRunner.JournalFileName)))
            {
                problem = $"{folder} holds no journal ({EvalRunner.JournalFileName}); merge takes the --report folder of each run --shard i/n";
                return null;
            }
        }
        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) continue;
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(path));
                var arguments = json.RootElement.GetProperty("arguments").EnumerateArray().Select(a => a.GetString() ?? throw new FormatException()).ToArray();
                var specs = arguments.Where((a, i) => i > 0 && arguments[i - 1] == "--spec").ToList();
                if (specs.Count == 0) throw new FormatException();
                foreach (var spec in specs)
                {
                    if (File.Exists(spec) || Directory.Exists(spec)) continue;
                    problem = $"the shards ran the spec {spec}, which is not here; run merge in the folder the shards ran in (the same checkout), or {Advice}";
                    return null;
                }
                return arguments;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                problem = $"{path} is not what run --shard writes; {Advice}";
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read {path}: {FileErrors.Reason(ex)}; {Advice}";
                return null;
            }
        }
        problem = folders.Count == 1
            ? $"{folders[0]} does not say what its shard ran (it holds no {FileName}: a whole run or an earlier evaldsl wrote it); {Advice}"
            : $"none of the shard folders says what the shards ran (none holds {FileName}: whole runs or an earlier evaldsl wrote them); {Advice}";
        return null;
    }

    /// <summary>The command line of a merge that takes the shards' specs and options, and this merge's own wherever it gives one.</summary>
    public static string[] MergeArguments(IReadOnlyList<string> folders, IReadOnlyList<string> recorded, ParseResult parse)
    {
        var own = Given(parse, _ => true).ToList();
        var given = new HashSet<string>(parse.CommandResult.Children.OfType<OptionResult>().Where(o => !o.Implicit).Select(o => o.Option.Name), StringComparer.Ordinal);
        var arguments = new List<string> { "merge" };
        arguments.AddRange(folders);
        for (var i = 0; i < recorded.Count; i++)
        {
            var name = recorded[i];
            var hasValue = i + 1 < recorded.Count && !IsName(recorded[i + 1]);
            if (!given.Contains(name))
            {
                arguments.Add(name);
                if (hasValue) arguments.Add(recorded[i + 1]);
            }
            if (hasValue) i++;
        }
        arguments.AddRange(own);
        return arguments.ToArray();
    }

    private static bool IsName(string argument) => argument == "--spec" || Kept.Contains(argument);

    /// <summary>The command line as one line a user can read (values with blanks quoted).</summary>
    public static string Show(IEnumerable<string> arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(argument.Length == 0 || argument.Any(char.IsWhiteSpace) ? "\"" + argument.Replace("\"", "\\\"") + "\"" : argument);
        }
        return text.ToString();
    }
}
