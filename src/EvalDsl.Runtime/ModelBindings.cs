using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime;

/// <summary>
/// Which model each binding name (<c>target</c>, <c>judge</c>, <c>baseline</c>, or any name a spec uses with
/// <c>model</c>/<c>judge</c>) stands for: a model reference, or any <see cref="IChatClient"/> registered in C#.
/// </summary>
public sealed class ModelBindings
{
    private readonly Dictionary<string, Func<Models.ModelBinding>> _factories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Models.ModelBinding>> _resolved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _descriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _juries = new(StringComparer.Ordinal);

    /// <summary>Binds <paramref name="name"/> to any chat client (OpenAI, Azure, Ollama, a fake for tests…).</summary>
    public ModelBindings Register(string name, IChatClient client, string? description = null)
    {
        if (client is null) throw new ArgumentNullException(nameof(client));
        _factories[name] = () => new Models.ModelBinding(name, "client:" + (description ?? name), client, isReplay: false);
        _descriptions[name] = description ?? client.GetType().Name;
        _resolved.TryRemove(name, out _);
        return this;
    }

    /// <summary>Binds <paramref name="name"/> to a model reference such as <c>openai:gpt-4o-mini</c>.</summary>
    public ModelBindings Bind(string name, ModelReference reference) => Bind(name, reference, ModelConnection.Default);

    /// <summary>
    /// Binds <paramref name="name"/> to a model reference, with the variable its key comes from and extra headers.
    /// Without a key variable the key is <c>EVALDSL_KEY_&lt;NAME&gt;</c>, else <c>OPENAI_API_KEY</c> for api.openai.com
    /// only; any other server gets no key.
    /// </summary>
    public ModelBindings Bind(string name, ModelReference reference, ModelConnection connection)
    {
        if (reference is null) throw new ArgumentNullException(nameof(reference));
        if (connection is null) throw new ArgumentNullException(nameof(connection));
        _factories[name] = () => Models.ModelClients.Create(name, reference, connection);
        _descriptions[name] = reference.ToString();
        _resolved.TryRemove(name, out _);
        return this;
    }

    /// <summary>Is the name bound (to a model, or as a jury)?</summary>
    public bool IsBound(string name) => _factories.ContainsKey(name) || _juries.ContainsKey(name);

    /// <summary>
    /// Makes <paramref name="name"/> a jury of the bindings <paramref name="members"/> (at least two, each bound on its
    /// own): wherever <paramref name="name"/> judges, every question is put to each member and decided by majority.
    /// What <c>--judge A --judge B --judge C</c> binds (members <c>judge-1</c>, <c>judge-2</c>, <c>judge-3</c>).
    /// </summary>
    public ModelBindings Jury(string name, IEnumerable<string> members)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(members);
        var list = members.ToArray();
        if (list.Length < 2) throw new ArgumentException("A jury has at least two members.", nameof(members));
        if (list.Distinct(StringComparer.Ordinal).Count() != list.Length) throw new ArgumentException("A jury names each member once.", nameof(members));
        if (list.Contains(name, StringComparer.Ordinal)) throw new ArgumentException("A jury cannot be its own member.", nameof(members));
        _factories.Remove(name);
        _resolved.TryRemove(name, out _);
        _juries[name] = list;
        _descriptions[name] = "jury of " + string.Join(", ", list);
        return this;
    }

    /// <summary>The members of the jury <paramref name="name"/>, or null when it is not a jury.</summary>
    public IReadOnlyList<string>? JuryOf(string name) => _juries.TryGetValue(name, out var members) ? members : null;

    /// <summary>
    /// The judges of a case: its jury (<c>judge a, b, c</c>) or its one judge, each name that is bound as a jury
    /// (<see cref="Jury"/>) replaced by its members, each once.
    /// </summary>
    internal IReadOnlyList<string> JudgesOf(EvalCase @case)
    {
        var names = @case.Jury is { Count: > 1 } jury ? jury : new[] { @case.Judge };
        return names.SelectMany(n => JuryOf(n) ?? new[] { n }).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The identity a calibration record is keyed by: the judge's model identity, or for a jury <c>jury(ID; ID; ID)</c>
    /// of its members' identities in ordinal order (the names and the order they are written in do not matter).
    /// </summary>
    internal string IdentityOf(IReadOnlyList<string> judges) =>
        judges.Count == 1 ? Resolve(judges[0]).Identity
            : "jury(" + string.Join("; ", judges.Select(j => Resolve(j).Identity).OrderBy(i => i, StringComparer.Ordinal)) + ")";

    /// <summary>Binding name → what it is bound to (a reference or a client description; never a key).</summary>
    public IReadOnlyDictionary<string, string> Describe() => new SortedDictionary<string, string>(_descriptions, StringComparer.Ordinal);

    /// <summary>
    /// Reads <c>EVALDSL_TARGET</c>, <c>EVALDSL_JUDGE</c>, <c>EVALDSL_BASELINE</c> and <c>EVALDSL_MODEL_&lt;NAME&gt;</c>
    /// (NAME upper-cased, <c>-</c> written <c>_</c>) into bindings not already made. Each binding's key comes from
    /// <c>EVALDSL_KEY_&lt;NAME&gt;</c> (else <c>OPENAI_API_KEY</c>, for api.openai.com only) and its extra headers from
    /// <c>EVALDSL_HEADERS_&lt;NAME&gt;</c> (<c>Header: value; Other: env:VARIABLE</c>).
    /// </summary>
    public ModelBindings AddEnvironment(IEnumerable<string>? names = null) => AddEnvironment(names, _ => ModelConnection.Default);

    /// <summary>As <see cref="AddEnvironment(IEnumerable{string})"/>, each binding with the connection the command line gives it.</summary>
    public ModelBindings AddEnvironment(IEnumerable<string>? names, Func<string, ModelConnection> connection)
    {
        foreach (var name in new[] { "target", "judge", "baseline" }.Concat(names ?? Enumerable.Empty<string>()).Distinct())
        {
            if (IsBound(name)) continue;
            var variable = EnvironmentVariable(name);
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(value)) continue;
            // References separated by commas are a jury: members NAME-1, NAME-2, … each with NAME's connection.
            var references = value.Split(',', StringSplitOptions.TrimEntries);
            if (references.Length > 1)
            {
                if (references.Any(r => r.Length == 0)) throw new ModelSetupException($"{variable}: a jury is references separated by commas, with none empty");
                var members = new List<string>();
                for (var i = 0; i < references.Length; i++)
                {
                    if (!ModelReference.TryParse(references[i], out var member, out var problem)) throw new ModelSetupException($"{variable} (judge {i + 1} of {references.Length}): {problem}");
                    members.Add($"{name}-{i + 1}");
                    Bind(members[i], member!, connection(name));
                }
                Jury(name, members);
                continue;
            }
            if (!ModelReference.TryParse(value, out var reference, out var error)) throw new ModelSetupException($"{variable}: {error}");
            Bind(name, reference!, connection(name));
        }
        return this;
    }

    /// <summary><c>EVALDSL_TARGET</c> for target, judge and baseline; <c>EVALDSL_MODEL_MY_MODEL</c> for <c>my-model</c>.</summary>
    public static string EnvironmentVariable(string name) => name switch
    {
        "target" => "EVALDSL_TARGET",
        "judge" => "EVALDSL_JUDGE",
        "baseline" => "EVALDSL_BASELINE",
        _ => "EVALDSL_MODEL_" + name.ToUpperInvariant().Replace('-', '_'),
    };

    internal Models.ModelBinding Resolve(string name)
    {
        if (_juries.TryGetValue(name, out var jury))
        {
            throw new ModelSetupException($"'{name}' is a jury ({string.Join(", ", jury)}), not one model: it judges, and is asked through its members");
        }
        if (!_factories.TryGetValue(name, out var factory))
        {
            throw new ModelSetupException(name switch
            {
                "target" => "no model to test: pass --target REF (for example --target openai:gpt-4o-mini) or set EVALDSL_TARGET",
                "judge" => "no judge model: pass --judge REF or set EVALDSL_JUDGE",
                _ => $"the spec uses the model binding '{name}', which is not bound: pass --model {name}=REF or set {EnvironmentVariable(name)}",
            });
        }
        return _resolved.GetOrAdd(name, _ => new Lazy<Models.ModelBinding>(factory)).Value;
    }
}
