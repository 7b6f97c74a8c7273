using System.Collections.Generic;
using System.Linq;
using System.Text;
using EvalDsl.Binding;
using EvalDsl.Plan;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Lowering;

/// <summary>
/// Lowers the bound model into the plan that the emitter writes and the runtime executes: cases expanded per data row, the
/// variants of each <c>vary</c> (their product when there are several), system text and memory assembled,
/// placeholders substituted, a reply implied after the last user turn.
/// </summary>
internal static class Lowerer
{
    /// <summary>
    /// The plan of <paramref name="compilation"/>. With <paramref name="release"/>, each case's bound model and syntax are
    /// dropped from the compilation as soon as the case is lowered (PlanBuilder.BuildReleasing): the compilation and the
    /// plan then never take their whole memory at once.
    /// </summary>
    public static EvalPlan Lower(BoundCompilation compilation, bool release = false)
    {
        var strings = new StringPool();
        var behaviors = new Dictionary<BoundBehavior, EvalBehavior>();
        var suites = new EvalSuite[compilation.Suites.Count];
        for (var i = 0; i < suites.Length; i++) suites[i] = LowerSuite(compilation.Suites[i], strings, behaviors, release);
        return new EvalPlan(suites);
    }

    /// <summary>The most tests one case may expand to (data rows × the product of its vary labels): EVAL0112 beyond.</summary>
    public const long MaxExpansion = 10_000;

    /// <summary>
    /// How many tests a case expands to: its data rows (1 without for each) times the labels of each vary. Counting
    /// stops just above <see cref="MaxExpansion"/>, so 10^100 costs no more than 10^5.
    /// </summary>
    public static long Expansion(BoundCase bound)
    {
        long count = bound.Syntax.ForEach is null ? 1 : bound.Data?.Rows.Count ?? 0;
        foreach (var vary in bound.Syntax.Turns.OfType<VarySyntax>())
        {
            if (vary.Labels.Count == 0) continue;
            count *= vary.Labels.Count;
            if (count > MaxExpansion) return MaxExpansion + 1;
        }
        return count;
    }

    private static EvalSuite LowerSuite(BoundSuite suite, StringPool strings, Dictionary<BoundBehavior, EvalBehavior> behaviors, bool release)
    {
        var syntax = suite.Syntax;
        var cases = new List<EvalCase>(suite.Cases.Count);
        var suiteTags = syntax.Settings.Tags.Select(t => t.Text).ToArray();
        var caseTags = suiteTags.Distinct().ToArray();
        var location = Location(syntax.Tree.Source.Location(syntax.Title.Range));
        for (var index = 0; index < suite.Cases.Count; index++)
        {
            var bound = suite.Cases[index];
            if (release)
            {
                // Nothing but this loop reads the released compilation again: its case goes once lowered.
                suite.Cases[index] = null!;
                syntax.Cases[index] = null!;
            }
            // Never expanded, whatever its severity is configured to: 10^8 variants would exhaust the memory.
            if (Expansion(bound) > MaxExpansion) continue;
            if (bound.Syntax.ForEach is null)
            {
                cases.Add(LowerCase(bound, caseTags, null, null, strings, behaviors));
            }
            else if (bound.Data is { Columns: { } columns } data)
            {
                // {a.b} and {a[0]} are looked up once per row; one that does not resolve stays literal (EVAL0113).
                var nested = CasePlaceholders.Of(bound.Syntax).Select(p => p.Part.Name).Where(PlaceholderPath.IsNested).Distinct().ToList();
                for (var r = 0; r < data.Rows.Count; r++)
                {
                    var values = new Dictionary<string, string>(System.StringComparer.Ordinal);
                    for (var c = 0; c < columns.Count && c < data.Rows[r].Count; c++) values[columns[c]] = data.Rows[r][c];
                    foreach (var path in nested)
                    {
                        if (DataPaths.Resolve(data, r, path, out _) is { } value) values[path] = value;
                    }
                    cases.Add(LowerCase(bound, caseTags, data.RowNumbers[r], values, strings, behaviors));
                }
            }
        }
        return new EvalSuite(syntax.Title.Template, syntax.Settings.About?.Template, suiteTags, location, cases.ToArray());
    }

    private static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();

    private static EvalCase LowerCase(BoundCase bound, string[] suiteTags, int? row, IReadOnlyDictionary<string, string>? values,
        StringPool strings, Dictionary<BoundBehavior, EvalBehavior> behaviors)
    {
        var syntax = bound.Syntax;
        var suite = syntax.Suite;
        var source = suite.Tree.Source;
        values ??= NoValues;

        var varies = syntax.Turns.OfType<VarySyntax>().Where(v => v.Labels.Count > 0).ToList();
        var variants = new List<EvalVariant>();
        foreach (var choice in Product(varies))
        {
            var scope = values.ToDictionary(v => v.Key, v => v.Value, System.StringComparer.Ordinal);
            foreach (var (vary, label) in choice) scope[vary.Name.Text] = Substitute(label.Text, values);
            variants.Add(new EvalVariant(
                choice.Count == 0 ? System.Array.Empty<KeyValuePair<string, string>>() : choice.Select(c => new KeyValuePair<string, string>(c.Vary.Name.Text, c.Label.Label.Text)).ToArray(),
                SystemText(bound, scope),
                Turns(syntax, scope, strings)));
        }

        var expectations = syntax.Expectations.Where(e => !e.IsMissing).Select((e, i) => new EvalExpectation(
            i,
            e.Modality == Modality.Must,
            e.Negated,
            Check(e.Kind),
            strings.Get((e.Kind == ExpectationKind.Contain && e.Text is not null ? "contain \"" + Substitute(e.Text, values) + "\""
                : e.Kind == ExpectationKind.Choose && e.Text is not null ? "choose \"" + Substitute(e.Text, values) + "\""
                : e.Regex is { Placeholders.Count: > 0 } regex ? "match /" + Substitute(regex, values).Replace("/", "\\/") + "/" + regex.Flags
                : e.Phrase)
            + Suffix(e, values)),
            strings.Get(e.Kind == ExpectationKind.MoreUnder ? e.Degree
                : e.Text is null ? null : e.Kind == ExpectationKind.Choose ? OptionLetter(Substitute(e.Text, values)) ?? Substitute(e.Text, values) : Substitute(e.Text, values)),
            e.Regex is null ? null : Substitute(e.Regex, values),
            e.Regex?.Flags,
            e.Kind == ExpectationKind.MoreUnder ? VaryLabels.VaryOf(syntax, e.UnderLabel) : e.VaryName?.Text,
            bound.Behaviors.TryGetValue(e, out var behavior) ? Behavior(behavior, behaviors) : null,
            Location(source.Location(e.PhraseRange)))
        {
            Alternatives = e.Alternatives is { } column ? SplitAlternatives(values.TryGetValue(column.Name, out var cell) ? cell : null) : null,
            // Only the rows of a pass N% of rows case need the display as written: their dataset's result shows it.
            DisplayTemplate = row is null || bound.RowsPass is null ? null
                : (e.For?.Label is { } shownFor && !shownFor.IsMissing() ? "for " + shownFor.Text + ": " : "") + (e.Modality == Modality.Must ? "must " : "should ") + (e.Negated ? "not " : "") +
                  (e.Kind == ExpectationKind.Contain && e.Text is not null ? "contain \"" + e.Text.Template + "\""
                   : e.Kind == ExpectationKind.Choose && e.Text is not null ? "choose \"" + e.Text.Template + "\""
                   : e.Phrase) + Suffix(e, null),
            Reply = e.Reply?.Text,
            EveryReply = e.EveryReply is not null,
            Guard = e.Guard is { } guard
                ? new EvalGuard(guard.Reply.Text, guard.Text is null ? null : Substitute(guard.Text, values), guard.Regex is null ? null : Substitute(guard.Regex, values), guard.Regex?.Flags)
                : null,
            UnderLabel = e.UnderLabel?.Text,
            ThanLabel = e.ThanLabel?.Text,
            ForVary = e.For is { } forBlock ? VaryLabels.VaryOf(syntax, forBlock.Label) : null,
            ForLabel = e.For?.Label is { } forLabel && !forLabel.IsMissing() ? forLabel.Text : null,
        }).ToArray();

        return new EvalCase(
            suite.Title.Template,
            Substitute(syntax.Title, values),
            row,
            Location(source.Location(syntax.Title.Range)),
            // A case without tags of its own shares its suite's, distinct (the plan is read-only).
            syntax.Settings.Tags.Count == 0 ? suiteTags : suiteTags.Concat(syntax.Settings.Tags.Select(t => t.Text)).Distinct().ToArray(),
            bound.Samples,
            bound.Pass,
            bound.Temperature is { } t ? (double)t : null,
            strings.Get(bound.Model),
            strings.Get(bound.Judge),
            variants.ToArray(),
            expectations)
        {
            TitleTemplate = row is null ? null : syntax.Title.Template,
            DataSet = row is null ? null : bound.Data?.Name,
            Reference = syntax.Reference is { } reference ? Substitute(reference, values) : null,
            RowsPass = row is null ? null : bound.RowsPass,
            Answer = syntax.Answer is { } answer ? Substitute(answer, values) : null,
            Jury = bound.Jury.Count > 1 ? bound.Jury.Select(n => n.Text).ToList() : null,
        };
    }

    /// <summary>
    /// What follows the phrase, as written: <c> in NAME</c>, <c> in every reply</c>, <c> when NAME contains "…"</c> or
    /// <c> when NAME matches /…/</c>, with placeholders substituted from <paramref name="values"/> (as written when null).
    /// </summary>
    private static string Suffix(ExpectationSyntax e, IReadOnlyDictionary<string, string>? values)
    {
        var sb = new StringBuilder();
        if (e.Reply is { } reply) sb.Append(" in ").Append(reply.Text);
        else if (e.EveryReply is not null) sb.Append(" in every reply");
        if (e.Guard is { } guard)
        {
            sb.Append(" when ").Append(guard.Reply.Text);
            if (guard.Text is { } text) sb.Append(" contains \"").Append(values is null ? text.Template : Substitute(text, values)).Append('"');
            else if (guard.Regex is { } regex) sb.Append(" matches /").Append((values is null ? regex.Pattern : Substitute(regex, values)).Replace("/", "\\/")).Append('/').Append(regex.Flags);
        }
        return sb.ToString();
    }

    /// <summary>The one mapping from the syntax's expectation kinds to the plan's checks.</summary>
    private static EvalCheck Check(ExpectationKind kind) => kind switch
    {
        ExpectationKind.Contain => EvalCheck.Contain,
        ExpectationKind.Match => EvalCheck.Match,
        ExpectationKind.ContainAny => EvalCheck.ContainAny,
        ExpectationKind.ContainAll => EvalCheck.ContainAll,
        ExpectationKind.Choose => EvalCheck.Choose,
        ExpectationKind.AnswerCorrectly => EvalCheck.AnswerCorrectly,
        ExpectationKind.HoldsAnswer => EvalCheck.HoldsAnswer,
        ExpectationKind.ConsistentAcross => EvalCheck.ConsistentAcross,
        ExpectationKind.MoreUnder => EvalCheck.MoreUnder,
        _ => EvalCheck.Behavior,
    };

    private static SpecLocation Location(SourceLocation l) => new(l.Path, l.Line, l.Column);

    private static string? SystemText(BoundCase bound, IReadOnlyDictionary<string, string> scope)
    {
        var system = new List<string>();
        var memory = new List<string>();
        if (bound.Persona is { } persona)
        {
            // Persona texts are declared outside any case: their braces are literal text.
            system.AddRange(persona.System.Select(s => s.Template));
            memory.AddRange(persona.Memory.Select(s => s.Template));
        }
        foreach (var turn in bound.Syntax.Turns)
        {
            if (turn.Text is null) continue;
            if (turn.Kind == TurnKind.System) system.Add(Substitute(turn.Text, scope));
            else if (turn.Kind == TurnKind.Memory) memory.Add(Substitute(turn.Text, scope));
        }
        if (memory.Count > 0)
        {
            var sb = new StringBuilder("What you remember about the user:");
            foreach (var m in memory) sb.Append("\n- ").Append(m);
            system.Add(sb.ToString());
        }
        return system.Count == 0 ? null : string.Join("\n\n", system);
    }

    /// <summary>One plan behavior for each bound behavior, shared by every expectation that names it.</summary>
    private static EvalBehavior Behavior(BoundBehavior behavior, Dictionary<BoundBehavior, EvalBehavior> behaviors)
    {
        if (!behaviors.TryGetValue(behavior, out var lowered))
        {
            behaviors[behavior] = lowered = new EvalBehavior(behavior.Phrase, behavior.Means, behavior.Shows, behavior.Lacks, behavior.Cites);
        }
        return lowered;
    }

    private static IReadOnlyList<EvalTurn> Turns(CaseSyntax syntax, IReadOnlyDictionary<string, string> scope, StringPool strings)
    {
        var turns = new List<EvalTurn>();
        // A repeat block's turns are written out N times: the plan has no repeat.
        foreach (var turn in RepeatSyntax.Expand(syntax.Turns))
        {
            switch (turn.Kind)
            {
                case TurnKind.User when turn.Text is not null && turn.Model is not null:
                    turns.Add(new EvalTurn(EvalRole.SimulatedUser, Substitute(turn.Text, scope)) { Model = turn.Model.Text });
                    break;
                case TurnKind.User when turn.Text is not null:
                    turns.Add(new EvalTurn(EvalRole.User, Substitute(turn.Text, scope)));
                    break;
                case TurnKind.Assistant when turn.Text is not null:
                    turns.Add(new EvalTurn(EvalRole.Assistant, Substitute(turn.Text, scope)));
                    break;
                case TurnKind.Reply:
                    turns.Add(turn.ReplyName is null && turn.Prefill is null ? LastReply
                        : new EvalTurn(EvalRole.Reply, "") { Name = turn.ReplyName?.Text, Prefill = turn.Prefill is null ? null : Substitute(turn.Prefill, scope) });
                    break;
            }
        }
        if (turns.Count == 0 || turns[turns.Count - 1].Role != EvalRole.Reply) turns.Add(LastReply);
        return turns.ToArray();
    }

    /// <summary>
    /// The option letter <c>choose "…"</c> names, upper-cased: one letter A–Z, in either case, bare or written as an option
    /// is marked (<c>(B)</c>, <c>B)</c>, <c>B.</c>), blanks around it ignored; null for anything else (EVAL0120).
    /// </summary>
    public static string? OptionLetter(string text) => EvalCase.OptionLetter(text);

    /// <summary>
    /// The alternatives a data cell lists: the items of a JSON array (a JSONL array value, or a cell written as one;
    /// an item that is not a string is its JSON text), else the texts between <c>|</c>; each trimmed, empty ones
    /// dropped. No cell (a path that does not resolve) lists none.
    /// </summary>
    public static IReadOnlyList<string> SplitAlternatives(string? cell)
    {
        if (cell is null) return System.Array.Empty<string>();
        var trimmed = cell.Trim();
        if (trimmed.StartsWith("[", System.StringComparison.Ordinal))
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(trimmed);
                if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array)
                {
                    return document.RootElement.EnumerateArray()
                        .Select(item => item.ValueKind == System.Text.Json.JsonValueKind.String ? item.GetString()! : item.GetRawText())
                        .Select(item => item.Trim()).Where(item => item.Length > 0).ToList();
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON: a cell such as "[draft] | final" is texts between '|'.
            }
        }
        return cell.Split('|').Select(item => item.Trim()).Where(item => item.Length > 0).ToList();
    }

    /// <summary>A reply turn without a name or prefill: the plan is read-only, so every case shares one.</summary>
    private static readonly EvalTurn LastReply = new(EvalRole.Reply, "");

    /// <summary>Writes a string with its placeholders replaced; a placeholder with no value stays as written.</summary>
    public static string Substitute(StringSyntax text, IReadOnlyDictionary<string, string> values)
    {
        // Text without placeholders is its one part, as parsed: no copy.
        if (text.Parts.Count == 1 && text.Parts[0] is TextPart only) return only.Text;
        var sb = new StringBuilder();
        foreach (var part in text.Parts)
        {
            switch (part)
            {
                case TextPart t: sb.Append(t.Text); break;
                case PlaceholderPart p: sb.Append(values.TryGetValue(p.Name, out var v) ? v : "{" + p.Name + "}"); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A regex's pattern with its placeholders replaced by their values, escaped as <see cref="System.Text.RegularExpressions.Regex.Escape"/>
    /// does, so that a value matches as literal text; a placeholder with no value stays as written.
    /// </summary>
    public static string Substitute(RegexSyntax regex, IReadOnlyDictionary<string, string> values)
    {
        if (regex.Placeholders.Count == 0) return regex.Pattern;
        var sb = new StringBuilder();
        var at = 0;
        foreach (var p in regex.Placeholders)
        {
            sb.Append(regex.Pattern, at, p.PatternStart - at);
            at = p.PatternStart + p.PatternLength;
            if (!values.TryGetValue(p.Part.Name, out var v))
            {
                sb.Append(regex.Pattern, p.PatternStart, p.PatternLength);
                continue;
            }
            var escaped = System.Text.RegularExpressions.Regex.Escape(v);
            // A quantifier after the placeholder repeats the whole value, as it would repeat a group: {x}+ is (?:x)+.
            var quantified = at < regex.Pattern.Length && (regex.Pattern[at] is '*' or '+' or '?' ||
                regex.Pattern[at] == '{' && at + 1 < regex.Pattern.Length && char.IsDigit(regex.Pattern[at + 1]));
            sb.Append(quantified && v.Length != 1 ? "(?:" + escaped + ")" : escaped);
        }
        sb.Append(regex.Pattern, at, regex.Pattern.Length - at);
        return sb.ToString();
    }

    private static IEnumerable<List<(VarySyntax Vary, VaryLabelSyntax Label)>> Product(IReadOnlyList<VarySyntax> varies)
    {
        IEnumerable<List<(VarySyntax, VaryLabelSyntax)>> result = new[] { new List<(VarySyntax, VaryLabelSyntax)>() };
        foreach (var vary in varies)
        {
            result = result.SelectMany(prefix => vary.Labels.Select(label => new List<(VarySyntax, VaryLabelSyntax)>(prefix) { (vary, label) })).ToList();
        }
        return result;
    }

    /// <summary>
    /// The short texts a plan repeats from case to case (phrases, checked texts, binding names), kept once: a spec of
    /// 100,000 cases that all check for the same word holds that word once.
    /// </summary>
    private sealed class StringPool
    {
        private const int MaxLength = 256;
        private readonly Dictionary<string, string> _strings = new(System.StringComparer.Ordinal);

        [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
        public string? Get(string? text)
        {
            if (text is null || text.Length > MaxLength) return text;
            if (_strings.TryGetValue(text, out var kept)) return kept;
            _strings[text] = text;
            return text;
        }
    }
}
