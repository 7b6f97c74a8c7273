using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using EvalDsl.Text;

namespace EvalDsl.Syntax;

/// <summary>
/// A debug rendering of a syntax tree: one node a line, indented by depth, each with its span as
/// <c>(line,col,endLine,endCol)</c> (end exclusive). Parser tests compare it whole with <c>Cases/*.tree.txt</c>,
/// so what the parser keeps after an error, and where each part of a statement sits, cannot change unseen.
/// Strings print as they would be written back (escapes restored, <c>\{</c> for a literal brace).
/// </summary>
internal sealed class SyntaxPrinter
{
    private readonly SourceText _source;
    private readonly StringBuilder _out = new();
    private int _depth;

    private SyntaxPrinter(SourceText source) => _source = source;

    public static string Print(SyntaxTree tree)
    {
        var printer = new SyntaxPrinter(tree.Source);
        printer.File(tree);
        return printer._out.ToString();
    }

    private void File(SyntaxTree tree)
    {
        Line($"file {tree.Path}" + Flags(("unreadable", tree.IsUnreadable), ("truncated", tree.IsTruncated), ("unknown-statements", tree.HasUnknownStatements), ("used-only", tree.IsUsedOnly)));
        Nested(() =>
        {
            foreach (var use in tree.Uses)
            {
                Line($"use {Span(use.Keyword)}{Flags(("misplaced", use.IsMisplaced))}");
                Nested(() => String("path", use.Path));
            }
            var declarations = tree.Suites.Cast<DeclarationSyntax>().Concat(tree.Behaviors).Concat(tree.Personas).Concat(tree.DataSets);
            foreach (var declaration in declarations.OrderBy(d => d.Keyword.Start)) Declaration(declaration);
        });
    }

    private void Declaration(DeclarationSyntax declaration)
    {
        switch (declaration)
        {
            case SuiteSyntax suite:
                Line($"suite {Span(suite.Keyword)}{Block(suite.Status)}");
                Nested(() =>
                {
                    String("title", suite.Title);
                    Settings(suite.Settings);
                    var members = suite.Personas.Cast<DeclarationSyntax>().Concat(suite.DataSets).Select(d => (d.Keyword.Start, (object)d))
                        .Concat(suite.Cases.Select(c => (c.Keyword.Start, (object)c)));
                    foreach (var (_, member) in members.OrderBy(m => m.Start))
                    {
                        if (member is CaseSyntax @case) Case(@case);
                        else Declaration((DeclarationSyntax)member);
                    }
                });
                break;
            case PersonaSyntax persona:
                Line($"persona {Span(persona.Keyword)}{Block(persona.Status)}");
                Nested(() =>
                {
                    Name("name", persona.Name);
                    foreach (var s in persona.System) String("system", s);
                    foreach (var s in persona.Memory) String("memory", s);
                });
                break;
            case DataSyntax data:
                Line($"data {Span(data.Keyword)}{Block(data.Status)}{Flags(("row-errors", data.HasRowErrors), ("filter-errors", data.FilterHasErrors))}");
                Nested(() =>
                {
                    Name("name", data.Name);
                    if (data.FromPath is not null) String("from", data.FromPath);
                    foreach (var filter in data.Filters)
                    {
                        Line($"where {Span(filter.Range)}");
                        Nested(() =>
                        {
                            Name("column", filter.Column);
                            String(filter.Negated ? "is not" : "is", filter.Value);
                        });
                    }
                    if (data.Columns is not null) Line("columns " + string.Join(" | ", data.Columns.Select(c => $"{c.Text} {Span(c.Range)}")));
                    foreach (var row in data.Rows)
                    {
                        Line($"row {Span(row.Range)}");
                        Nested(() => { foreach (var cell in row.Cells) String("cell", cell); });
                    }
                });
                break;
            case BehaviorSyntax behavior:
                Line($"behavior {Span(behavior.Keyword)}{Block(behavior.Status)}{Flags(("means-written", behavior.HasMeansStatement && behavior.Means is null))}");
                Nested(() =>
                {
                    String("phrase", behavior.Phrase);
                    if (behavior.Means is not null) String("means", behavior.Means);
                    foreach (var s in behavior.Cites) String("cite", s);
                    foreach (var s in behavior.Shows) String("shows", s);
                    foreach (var s in behavior.Lacks) String("lacks", s);
                });
                break;
        }
    }

    private void Case(CaseSyntax @case)
    {
        Line($"case {Span(@case.Keyword)}{Block(@case.Status)}{Flags(("broken-vary", @case.HasBrokenVary))}");
        Nested(() =>
        {
            String("title", @case.Title);
            if (@case.ForEach is not null) Name("for each", @case.ForEach);
            Settings(@case.Settings);
            foreach (var turn in @case.Turns) Turn(turn);
            if (@case.Reference is not null) String("reference", @case.Reference);
            if (@case.Answer is not null) String("answer", @case.Answer);
            // A for block prints where it is written, its expectations inside it.
            var items = @case.Expectations.Where(e => e.For is null).Select(e => (e.Keyword.Start, (object)e))
                .Concat(@case.ForBlocks.Select(f => (f.Keyword.Start, (object)f)));
            foreach (var (_, item) in items.OrderBy(i => i.Start))
            {
                if (item is ExpectationSyntax expectation) Expectation(expectation);
                else For((ForSyntax)item);
            }
        });
    }

    private void For(ForSyntax @for)
    {
        Line($"for {Span(@for.Keyword)}{Block(@for.Status)}");
        Nested(() =>
        {
            Name("label", @for.Label);
            foreach (var expectation in @for.Expectations) Expectation(expectation);
        });
    }

    private void Turn(TurnSyntax turn)
    {
        var word = turn.Kind.ToString().ToLowerInvariant();
        if (turn is VarySyntax vary)
        {
            Line($"{word} {Span(vary.Keyword)}{Block(vary.Status)}{Flags(("errors", vary.HasErrors))}");
            Nested(() =>
            {
                Name("name", vary.Name);
                foreach (var label in vary.Labels)
                {
                    Name("label", label.Label);
                    Nested(() => String("text", label.Text));
                }
            });
            return;
        }
        if (turn is RepeatSyntax repeat)
        {
            Line($"{word} {Span(repeat.Keyword)}{Block(repeat.Status)}{Flags(("errors", repeat.HasErrors))}");
            Nested(() =>
            {
                Number("count", repeat.Count);
                foreach (var inner in repeat.Turns) Turn(inner);
            });
            return;
        }
        Line($"{word} {Span(turn.Keyword)}{Flags(("errors", turn.HasErrors))}");
        Nested(() =>
        {
            if (turn.Persona is not null) Name("persona", turn.Persona);
            if (turn.Model is not null) Name("by model", turn.Model);
            if (turn.Text is not null) String("text", turn.Text);
            if (turn.ReplyName is not null) Name("as", turn.ReplyName);
            if (turn.Prefill is not null) String("after", turn.Prefill);
        });
    }

    private void Expectation(ExpectationSyntax e)
    {
        var modality = e.Modality == Modality.Must ? "must" : "should";
        Line($"{modality}{(e.Negated ? " not" : "")} {Span(e.Keyword)} {KindWord(e.Kind)}"
            + Flags(("errors", e.HasErrors), ("missing", e.IsMissing)));
        Nested(() =>
        {
            Line($"phrase {Quote(e.Phrase)} {Span(e.PhraseRange)}");
            if (e.Text is not null) String("text", e.Text);
            if (e.Regex is not null)
            {
                Line($"regex /{e.Regex.Pattern.Replace("/", "\\/")}/{e.Regex.Flags} {Span(e.Regex.Range)}{(e.Regex.IsValid ? "" : " invalid")}");
                Nested(() => { foreach (var p in e.Regex.Placeholders) Line($"placeholder {{{p.Part.Name}}} {Span(p.Part.Range)}"); });
            }
            if (e.VaryName is not null) Name("vary", e.VaryName);
            if (e.Alternatives is not null) Line($"column {{{e.Alternatives.Name}}} {Span(e.Alternatives.Range)}");
            if (e.Reply is not null) Name("in", e.Reply);
            if (e.EveryReply is { } every) Line($"in every reply {Span(every)}");
            if (e.TrailingIn is not null) Name("trailing in", e.TrailingIn);
            if (e.Guard is { } guard)
            {
                Line($"when {Span(guard.Keyword)}");
                Nested(() =>
                {
                    Name("reply", guard.Reply);
                    if (guard.Text is not null) String("contains", guard.Text);
                    if (guard.Regex is not null) Line($"matches /{guard.Regex.Pattern.Replace("/", "\\/")}/{guard.Regex.Flags} {Span(guard.Regex.Range)}{(guard.Regex.IsValid ? "" : " invalid")}");
                });
            }
            if (e.Degree is not null) Line($"degree {Quote(e.Degree)} {Span(e.DegreeRange)}");
            if (e.UnderLabel is not null) Name("under", e.UnderLabel);
            if (e.ThanLabel is not null) Name("than", e.ThanLabel);
        });
    }

    private static string KindWord(ExpectationKind kind) => kind switch
    {
        ExpectationKind.HoldsAnswer => "holds-answer",
        ExpectationKind.ConsistentAcross => "consistent-across",
        ExpectationKind.ContainAny => "contain-any",
        ExpectationKind.ContainAll => "contain-all",
        ExpectationKind.Choose => "choose",
        ExpectationKind.AnswerCorrectly => "answer-correctly",
        ExpectationKind.MoreUnder => "more-under",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private void Settings(SettingsSyntax settings)
    {
        if (settings.About is not null) String("about", settings.About);
        foreach (var tag in settings.Tags) Name("tag", tag);
        Number("samples", settings.Samples);
        Number("pass", settings.Pass);
        Number("pass of rows", settings.RowsPass);
        Number("temperature", settings.Temperature);
        if (settings.Model is not null) Name("model", settings.Model);
        if (settings.Judge is not null) Name("judge", settings.Judge);
        // A jury's other members, each with its span (a single judge prints as before).
        foreach (var member in settings.Jury.Skip(1)) Name("juror", member);
    }

    private void Number(string label, NumberSyntax? number)
    {
        if (number is null) return;
        var value = number.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "(no value)";
        Line($"{label} {number.Text} = {value}{(number.IsPercentage ? "%" : "")} {Span(number.Range)}");
    }

    private void Name(string label, NameSyntax name) =>
        Line($"{label} {(name.IsMissing() ? "(missing)" : name.Text)} {Span(name.Range)}");

    private void String(string label, StringSyntax s)
    {
        if (s.IsMissing())
        {
            Line($"{label} (missing) {Span(s.Range)}");
            return;
        }
        var text = new StringBuilder();
        foreach (var part in s.Parts)
        {
            text.Append(part switch
            {
                TextPart t => Escape(t.Text, '"').Replace("{", "\\{").Replace("}", "\\}"),
                PlaceholderPart p => "{" + p.Name + "}",
                _ => "",
            });
        }
        Line($"{label} {(s.IsTextBlock ? "text block " : "")}\"{text}\" {Span(s.Range)}{Flags(("errors", s.HasErrors))}");
        Nested(() => { foreach (var p in s.Placeholders) Line($"placeholder {{{p.Name}}} {Span(p.Range)}"); });
    }

    private string Block(BlockStatus status)
    {
        var sb = new StringBuilder();
        if (status.OpenBrace is { } brace) sb.Append(" { ").Append(Span(brace));
        if (status.End is { } end)
        {
            var at = _source.PositionOf(end);
            sb.Append(" ends (").Append(at.Line).Append(',').Append(at.Column).Append(')');
        }
        sb.Append(Flags(("header-errors", status.HeaderHasErrors), ("unclosed", status.Unclosed), ("unknown-statements", status.HasUnknownStatements)));
        return sb.ToString();
    }

    private string Span(TextRange range)
    {
        var l = _source.Location(range);
        return $"({l.Line},{l.Column},{l.EndLine},{l.EndColumn})";
    }

    private static string Flags(params (string Name, bool On)[] flags)
    {
        var on = flags.Where(f => f.On).Select(f => f.Name).ToList();
        return on.Count == 0 ? "" : " [" + string.Join(", ", on) + "]";
    }

    private static string Quote(string text) => "\"" + Escape(text, '"') + "\"";

    private static string Escape(string text, char delimiter)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == delimiter) sb.Append('\\').Append(c);
            else if (c == '\\') sb.Append("\\\\");
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\t') sb.Append("\\t");
            else if (c == '\r') sb.Append("\\r");
            else if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private void Line(string text) => _out.Append(' ', 2 * _depth).Append(text).Append('\n');

    private void Nested(System.Action body)
    {
        _depth++;
        body();
        _depth--;
    }
}
