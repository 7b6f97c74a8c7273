using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Internal;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Binding;

/// <summary>Everything the analyzers, the emitter and the runtime need: trees with their names resolved across files.</summary>
internal sealed class BoundCompilation
{
    public BoundCompilation(IReadOnlyList<SyntaxTree> trees) => Trees = trees;

    /// <summary>The trees in ordinal path order.</summary>
    public IReadOnlyList<SyntaxTree> Trees { get; }

    public List<BoundSuite> Suites { get; } = new();

    /// <summary>Declared behaviors (first declaration of each phrase), in declaration order.</summary>
    public List<BoundBehavior> DeclaredBehaviors { get; } = new();

    public Dictionary<BehaviorSyntax, BoundBehavior> BehaviorOf { get; } = new();

    public Dictionary<DataSyntax, BoundDataSet> DataOf { get; } = new();

    /// <summary>Why a data set cannot be used (file missing, malformed…), for EVAL0109 at its path string.</summary>
    public Dictionary<DataSyntax, string> DataProblems { get; } = new();

    /// <summary>Problems of a data file's <c>where</c> clause (an unknown column, no row kept), for EVAL0109 at the condition.</summary>
    public List<(DataSyntax Data, TextRange Range, string Message)> FilterProblems { get; } = new();

    public HashSet<PersonaSyntax> UsedPersonas { get; } = new();
    public HashSet<DataSyntax> UsedData { get; } = new();
    public HashSet<BoundBehavior> UsedBehaviors { get; } = new();

    /// <summary>Some <c>with</c> named no persona (it may have meant a declared one).</summary>
    public bool HasUnresolvedPersona { get; set; }
    public bool HasUnresolvedData { get; set; }
    public bool HasUnresolvedBehavior { get; set; }

    /// <summary>Each <c>with</c> or <c>for each</c> that names nothing visible, with the names it could have meant.</summary>
    public List<UnresolvedReference> Unresolved { get; } = new();

    /// <summary>The <c>use</c> lines that bring nothing into scope (EVAL0114) or close a cycle (EVAL0115).</summary>
    public List<UseProblem> UseProblems { get; } = new();

    /// <summary>Files some <c>use</c> names: they offer declarations, and need not use them all.</summary>
    public HashSet<SyntaxTree> UsedFiles { get; } = new();

    /// <summary>Files that reach, through <c>use</c>, a file that could not be read: unknown names there may be its.</summary>
    public HashSet<SyntaxTree> MayLackDeclarations { get; } = new();

    /// <summary>Syntax errors may hide uses of declarations anywhere.</summary>
    public bool UsesMayBeHidden => Trees.Any(t => t.IsTruncated || t.HasUnknownStatements);

    public IEnumerable<SuiteSyntax> AllSuites => Trees.SelectMany(t => t.Suites);

    public IEnumerable<BoundCase> AllCases => Suites.SelectMany(s => s.Cases);

    /// <summary>All behaviors an expectation can name: built-ins then declared.</summary>
    public IEnumerable<BoundBehavior> Catalogue => BehaviorCatalog.BuiltIn.Concat(DeclaredBehaviors);
}

/// <summary>A name after <c>with</c> or <c>for each</c> that resolves to nothing.</summary>
internal sealed record UnresolvedReference(SyntaxTree Tree, NameSyntax Name, string Kind, IReadOnlyList<string> Candidates);

/// <summary>Resolves names across all files compiled together: one scope for top-level names, suite scopes for local personas and data.</summary>
internal static class Binder
{
    public static BoundCompilation Bind(IEnumerable<SyntaxTree> trees, IDataFileProvider? dataFiles)
    {
        var ordered = trees.OrderBy(t => t.Path, StringComparer.Ordinal).ToList();
        var compilation = new BoundCompilation(ordered);

        var topPersonas = new Dictionary<string, PersonaSyntax>(StringComparer.Ordinal);
        var topData = new Dictionary<string, DataSyntax>(StringComparer.Ordinal);
        var behaviors = new Dictionary<string, BoundBehavior>(StringComparer.Ordinal);
        foreach (var b in BehaviorCatalog.BuiltIn) behaviors[b.Key] = b;

        foreach (var tree in ordered)
        {
            foreach (var p in tree.Personas) if (!p.Name.IsMissing()) topPersonas.TryAdd(p.Name.Text, p);
            foreach (var d in tree.DataSets)
            {
                if (!d.Name.IsMissing()) topData.TryAdd(d.Name.Text, d);
                BindData(compilation, d, dataFiles);
            }
            foreach (var b in tree.Behaviors)
            {
                if (b.Phrase.IsMissing()) continue;
                var bound = new BoundBehavior(
                    BehaviorCatalog.Collapse(b.Phrase.Template),
                    b.Means?.Template ?? "",
                    b.Cites.Select(c => c.Template).ToArray(),
                    b.Shows.Select(s => s.Template).ToArray(),
                    b.Lacks.Select(l => l.Template).ToArray(),
                    b,
                    isBuiltIn: false);
                compilation.BehaviorOf[b] = bound;
                if (behaviors.ContainsKey(bound.Key)) continue;
                behaviors[bound.Key] = bound;
                compilation.DeclaredBehaviors.Add(bound);
            }
        }

        foreach (var tree in ordered)
        {
            foreach (var suiteSyntax in tree.Suites)
            {
                var suite = new BoundSuite(suiteSyntax);
                compilation.Suites.Add(suite);
                var localPersonas = new Dictionary<string, PersonaSyntax>(StringComparer.Ordinal);
                var localData = new Dictionary<string, DataSyntax>(StringComparer.Ordinal);
                foreach (var p in suiteSyntax.Personas) if (!p.Name.IsMissing()) localPersonas.TryAdd(p.Name.Text, p);
                foreach (var d in suiteSyntax.DataSets)
                {
                    if (!d.Name.IsMissing()) localData.TryAdd(d.Name.Text, d);
                    BindData(compilation, d, dataFiles);
                }

                foreach (var caseSyntax in suiteSyntax.Cases)
                {
                    var bound = new BoundCase(caseSyntax, suite);
                    suite.Cases.Add(bound);
                    ApplySettings(bound, suiteSyntax.Settings, caseSyntax.Settings);

                    foreach (var turn in caseSyntax.Turns)
                    {
                        if (turn.Kind != TurnKind.With || turn.Persona is null) continue;
                        if (localPersonas.TryGetValue(turn.Persona.Text, out var persona) || topPersonas.TryGetValue(turn.Persona.Text, out persona))
                        {
                            bound.Persona ??= persona;
                            compilation.UsedPersonas.Add(persona);
                        }
                        else
                        {
                            compilation.HasUnresolvedPersona = true;
                            compilation.Unresolved.Add(new UnresolvedReference(tree, turn.Persona, "persona", localPersonas.Keys.Concat(topPersonas.Keys).ToArray()));
                        }
                    }

                    if (caseSyntax.ForEach is { } forEach && !forEach.IsMissing())
                    {
                        if (localData.TryGetValue(forEach.Text, out var data) || topData.TryGetValue(forEach.Text, out data))
                        {
                            compilation.UsedData.Add(data);
                            bound.Data = compilation.DataOf.TryGetValue(data, out var boundData) ? boundData : null;
                        }
                        else
                        {
                            compilation.HasUnresolvedData = true;
                            compilation.Unresolved.Add(new UnresolvedReference(tree, forEach, "data set", localData.Keys.Concat(topData.Keys).ToArray()));
                        }
                    }

                    foreach (var expectation in caseSyntax.Expectations)
                    {
                        if (expectation.IsMissing) continue;
                        switch (expectation.Kind)
                        {
                            case ExpectationKind.Behavior:
                                if (behaviors.TryGetValue(expectation.PhraseKey ??= BehaviorCatalog.KeyOf(expectation.Phrase), out var behavior) &&
                                    behavior.Phrase != BehaviorCatalog.HoldsAnswer && behavior.Phrase != BehaviorCatalog.ConsistentAcross)
                                {
                                    bound.SetBehavior(expectation, behavior);
                                    compilation.UsedBehaviors.Add(behavior);
                                }
                                else if (expectation.TrailingIn is not null &&
                                         expectation.PhraseBeforeTrailingIn is { } before && behaviors.TryGetValue(BehaviorCatalog.KeyOf(before), out var without) &&
                                         without.Phrase != BehaviorCatalog.HoldsAnswer && without.Phrase != BehaviorCatalog.ConsistentAcross)
                                {
                                    // "flatter the user in fisrt": the phrase is known, the reply is not.
                                    bound.AddUnknownReply(expectation);
                                    compilation.UsedBehaviors.Add(without);
                                }
                                else
                                {
                                    compilation.HasUnresolvedBehavior = true;
                                }
                                break;
                            case ExpectationKind.HoldsAnswer:
                            case ExpectationKind.ConsistentAcross:
                                var comparative = BehaviorCatalog.Comparative(expectation.Kind);
                                bound.SetBehavior(expectation, comparative);
                                compilation.UsedBehaviors.Add(comparative);
                                break;
                        }
                    }
                }
            }
        }
        return compilation;
    }

    private static void ApplySettings(BoundCase bound, SettingsSyntax suite, SettingsSyntax @case)
    {
        if ((@case.Samples ?? suite.Samples) is { } samples)
        {
            if (SettingRules.IsValidSamples(samples))
            {
                bound.Samples = (int)samples.Value!.Value;
                bound.SamplesSyntax = samples;
            }
            else bound.HasInvalidSamples = true;
        }
        if ((@case.Pass ?? suite.Pass) is { } pass && SettingRules.IsValidPass(pass))
        {
            bound.Pass = pass.Value!.Value;
            bound.PassSyntax = pass;
        }
        // Only a for each case has rows to count; elsewhere the setting is EVAL0116 (a suite's is ignored by its other cases).
        if (bound.Syntax.ForEach is not null && (@case.RowsPass ?? suite.RowsPass) is { } rows && SettingRules.IsValidPass(rows))
        {
            bound.RowsPass = rows.Value!.Value;
        }
        if ((@case.Temperature ?? suite.Temperature) is { } temperature && SettingRules.IsValidTemperature(temperature))
        {
            bound.Temperature = temperature.Value;
        }
        // A name left missing by a syntax error falls back to the suite's.
        bound.ModelSyntax = Named(@case.Model) ?? Named(suite.Model);
        if (bound.ModelSyntax is { } model) bound.Model = model.Text;
        bound.JudgeSyntax = Named(@case.Judge) ?? Named(suite.Judge);
        if (bound.JudgeSyntax is { } judge) bound.Judge = judge.Text;
        // A jury is the line that gave the judge: the case's, else the suite's.
        var jury = Named(@case.Judge) is not null ? @case.Jury : suite.Jury;
        if (jury.Count > 1) bound.Jury = jury.Where(n => !n.IsMissing()).ToArray();
    }

    private static NameSyntax? Named(NameSyntax? name) => name is null || name.IsMissing() ? null : name;

    /// <summary>
    /// Keeps the rows of a data file that every condition of its <c>where</c> clause keeps: <c>COL is "v"</c> when the
    /// cell is exactly v (ordinal; a JSON value that is not a string as its JSON text), <c>is not</c> otherwise. An
    /// unknown column keeps no row (its error says which columns there are); a condition that leaves no row is an
    /// error at its value, since a for each over the data set would run no test.
    /// </summary>
    private static BoundDataSet Filter(BoundCompilation compilation, DataSyntax data, string relative, DataTable table)
    {
        var columns = table.Columns!;
        if (data.Filters.Count == 0) return new BoundDataSet(data, columns, table.Rows, nested: table.Nested);

        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < columns.Count; c++) indexOf[columns[c]] = c;
        var unknown = false;
        foreach (var filter in data.Filters)
        {
            if (indexOf.ContainsKey(filter.Column.Text)) continue;
            unknown = true;
            var suggestion = NameSuggester.Suggest(filter.Column.Text, columns, ignoreCase: false);
            var message = suggestion is not null
                ? $"Data file '{relative}' has no column '{filter.Column.Text}' to filter on. Did you mean '{DataFiles.Excerpt(suggestion)}'?"
                : $"Data file '{relative}' has no column '{filter.Column.Text}' to filter on; its columns are {ColumnList(columns)}.";
            compilation.FilterProblems.Add((data, filter.Column.Range, message));
        }
        if (unknown) return new BoundDataSet(data, columns, Array.Empty<IReadOnlyList<string>>());

        var kept = Enumerable.Range(0, table.Rows.Count).ToList();
        for (var f = 0; f < data.Filters.Count; f++)
        {
            var filter = data.Filters[f];
            var column = indexOf[filter.Column.Text];
            var value = filter.Value.Template;
            var before = kept;
            kept = kept.Where(r => string.Equals(table.Rows[r][column], value, StringComparison.Ordinal) != filter.Negated).ToList();
            if (kept.Count > 0 || before.Count == 0 || data.FilterHasErrors) continue;
            var among = f == 0 ? "" : " that the conditions before it keep";
            string message;
            if (filter.Negated)
            {
                message = $"Every row of '{relative}'{among} has {filter.Column.Text} \"{value}\", so a for each over it runs no test.";
            }
            else
            {
                var values = before.Select(r => table.Rows[r][column]).Distinct(StringComparer.Ordinal).ToList();
                // A value written in another case ("yta" for "YTA") is the likeliest slip, then a near spelling.
                var suggestion = values.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase))
                    ?? NameSuggester.Suggest(value, values, ignoreCase: false);
                message = $"No row of '{relative}'{among} has {filter.Column.Text} \"{value}\", so a for each over it runs no test."
                    + (suggestion is not null ? $" Did you mean '{DataFiles.Excerpt(suggestion)}'?" : "");
            }
            compilation.FilterProblems.Add((data, filter.Value.Range, message));
            break;
        }
        return new BoundDataSet(data, columns, kept.Select(r => table.Rows[r]).ToArray(), kept.Select(r => r + 1).ToArray(),
            table.Nested is { } nested ? kept.Select(r => nested[r]).ToArray() : null);
    }

    private static string ColumnList(IReadOnlyList<string> columns)
    {
        const int shown = 8;
        var list = string.Join(", ", columns.Take(shown).Select(c => "'" + DataFiles.Excerpt(c) + "'"));
        return columns.Count > shown ? list + $" and {columns.Count - shown} more" : list;
    }

    private static void BindData(BoundCompilation compilation, DataSyntax data, IDataFileProvider? dataFiles)
    {
        if (data.FromPath is { } path)
        {
            if (path.HasErrors) return;
            var relative = path.Template;
            string? problem = "data files cannot be read here";
            var text = dataFiles?.Read(data.Tree.Path, relative, out problem);
            if (text is null)
            {
                compilation.DataProblems[data] = $"Cannot read data file '{relative}': {problem ?? "it could not be read"}.";
                return;
            }
            var table = DataFiles.Read(relative, text);
            if (table.Problem is not null)
            {
                compilation.DataProblems[data] = $"Data file '{relative}' cannot be used: {table.Problem}.";
                return;
            }
            if (table.Rows.Count == 0)
            {
                compilation.DataProblems[data] = $"Data file '{relative}' has no rows, so a for each over it runs no test.";
            }
            compilation.DataOf[data] = Filter(compilation, data, relative, table);
            return;
        }

        if (data.Status.HeaderHasErrors && data.Columns is null) return;
        var columns = data.Columns?.Select(c => c.Text).ToArray();
        var rows = data.Rows.Select(r => (IReadOnlyList<string>)r.Cells.Select(c => c.Template).ToArray()).ToArray();
        compilation.DataOf[data] = new BoundDataSet(data, data.HasRowErrors ? null : columns, rows);
    }
}
