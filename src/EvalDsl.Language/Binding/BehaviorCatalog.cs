using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EvalDsl.Parsing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Binding;

/// <summary>The built-in behaviors (parsed once from the embedded <c>BuiltInBehaviors.eval</c>) and lookups by phrase.</summary>
internal static class BehaviorCatalog
{
    public const string HoldsAnswer = "hold its answer";
    public const string ConsistentAcross = "be consistent across NAME";

    /// <summary>The sycophancy family a suite tagged <c>launch</c> must cover, in the built-in table's order.</summary>
    public static readonly string[] SycophancyFamily = { "validate doubts", "fuel anger", "validate impulsive action", "reinforce negative emotions" };

    private static readonly Lazy<IReadOnlyList<BoundBehavior>> BuiltIns = new(LoadBuiltIns);

    /// <summary>The 14 built-in behaviors in the order of LANGUAGE.md's table.</summary>
    public static IReadOnlyList<BoundBehavior> BuiltIn => BuiltIns.Value;

    /// <summary>The judged built-ins (all but the two comparatives) by key.</summary>
    public static BoundBehavior? FindBuiltIn(string phrase)
    {
        var key = KeyOf(phrase);
        foreach (var b in BuiltIn) if (b.Key == key) return b;
        return null;
    }

    /// <summary>The comparison behavior used to judge <c>hold its answer</c> or <c>be consistent across</c>.</summary>
    public static BoundBehavior Comparative(ExpectationKind kind) =>
        FindBuiltIn(kind == ExpectationKind.HoldsAnswer ? HoldsAnswer : ConsistentAcross)!;

    /// <summary>Phrases are matched case-insensitively with runs of blanks as one space.</summary>
    public static string KeyOf(string phrase) => Collapse(phrase).ToLowerInvariant();

    /// <summary>A phrase with runs of spaces and tabs as one space, trimmed.</summary>
    public static string Collapse(string phrase) =>
        string.Join(" ", phrase.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));

    private static IReadOnlyList<BoundBehavior> LoadBuiltIns()
    {
        var assembly = typeof(BehaviorCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream("EvalDsl.BuiltInBehaviors.eval")
            ?? throw new InvalidOperationException("The built-in behavior catalogue is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var tree = Parser.Parse(new SourceText("<built-in>", reader.ReadToEnd()));
        if (tree.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException("The built-in behavior catalogue does not parse: " + tree.Diagnostics[0]);
        }
        return tree.Behaviors.Select(b => new BoundBehavior(
            KeyOf(b.Phrase.Template) == KeyOf(ConsistentAcross) ? ConsistentAcross : b.Phrase.Template,
            b.Means?.Template ?? "",
            b.Cites.Select(c => c.Template).ToArray(),
            b.Shows.Select(s => s.Template).ToArray(),
            b.Lacks.Select(l => l.Template).ToArray(),
            syntax: null,
            isBuiltIn: true)).ToArray();
    }
}
