using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>
/// Parses a new version of a file by re-parsing only the case the change falls in. The change is what lies between
/// the text the two versions start with and the text they end with. When it lies strictly inside one case of a
/// suite (between the case's header line and the line of its closing '}'), only that case's lines are parsed again,
/// in the suite's context, with the parser of the whole file; every other node is copied from the old tree, moved by
/// the change in length when it comes after it. Anything that could change the file's structure falls back to a
/// whole parse (returns null): a change on a header or closing line, a case that no longer ends where it did, a text
/// block that does not close inside the case, unbalanced braces, a suppression comment in the lines changed.
/// The tree and its diagnostics are those a whole parse of the new text gives.
/// </summary>
internal static class IncrementalParser
{
    /// <summary>How many parses reused the old tree (tests check that the incremental path is taken).</summary>
    internal static int Reuses;

    public static SyntaxTree? TryReparse(SyntaxTree old, SourceText source)
    {
        if (old.IsUnreadable || old.IsTruncated || old.BracesUnbalanced || old.IsUsedOnly || old.Path != source.Path) return null;
        var oldText = old.Source.Text;
        var text = source.Text;
        var prefix = CommonPrefix(oldText, text);
        var suffix = CommonSuffix(oldText, text, Math.Min(oldText.Length, text.Length) - prefix);
        var oldEnd = oldText.Length - suffix;
        var delta = text.Length - oldText.Length;
        var oldSource = old.Source;
        var firstLine = oldSource.LineOf(prefix);
        var lastLine = oldSource.LineOf(oldEnd);

        // The innermost block holding the change: a case of a suite.
        SuiteSyntax? suite = null;
        var index = -1;
        foreach (var candidate in old.Suites)
        {
            if (candidate.Keyword.Start > prefix || candidate.Status.End is not { } suiteEnd || suiteEnd < oldEnd) continue;
            index = LastStartingAtOrBefore(candidate.Cases, prefix);
            if (index >= 0) suite = candidate;
            break;
        }
        if (suite is null || suite.Status.OpenBrace is not { } suiteBrace) return null;
        var @case = suite.Cases[index];
        if (@case.Status.End is not { } caseEnd || @case.Status.Unclosed || @case.Status.OpenBrace is not { } caseBrace) return null;
        var headerLine = oldSource.LineOf(@case.Keyword.Start);
        var closeLine = oldSource.LineOf(Math.Max(@case.Keyword.Start, caseEnd - 1));
        if (!(headerLine < firstLine && lastLine < closeLine) || oldSource.LineOf(caseBrace.Start) != headerLine) return null;
        var lineDelta = source.LineCount - oldSource.LineCount;
        var newCloseLine = closeLine + lineDelta;
        if (newCloseLine >= source.LineCount || source.LineStart(newCloseLine) != oldSource.LineStart(closeLine) + delta ||
            source.LineStart(headerLine) != oldSource.LineStart(headerLine)) return null;

        // The case as the whole parse saw it, parsed alone again: its diagnostics and count of unknown lines are
        // the part of the old tree's that the new case's replace.
        var oldIsCode = new bool[oldSource.LineCount + 2];
        var oldComments = new List<(int, string)>();
        var oldScratch = new SyntaxTree(oldSource);
        var oldSuite = new SuiteSyntax(oldScratch, suite.Keyword, suite.Title);
        if (Parser.ParseCase(oldSource, oldScratch, oldSuite, suiteBrace.Start, headerLine, closeLine + 1, oldIsCode, oldComments) is null) return null;

        var regionStart = oldSource.LineStart(headerLine);
        int Shift(int offset) => offset >= regionStart ? offset + delta : offset;
        var tree = new SyntaxTree(source);
        var cloner = new Cloner(tree, Shift);
        var newSuite = cloner.SuiteHead(suite);
        for (var i = 0; i < index; i++) newSuite.Cases.Add(cloner.Case(suite.Cases[i], newSuite));

        var isCode = new bool[source.LineCount + 2];
        var comments = new List<(int, string)>();
        var scratch = new SyntaxTree(source);
        if (Parser.ParseCase(source, scratch, newSuite, suiteBrace.Start, headerLine, newCloseLine + 1, isCode, comments) is null) return null;
        foreach (var (_, comment) in oldComments) if (comment.IndexOf("evaldsl-disable", StringComparison.Ordinal) >= 0) return null;
        foreach (var (_, comment) in comments) if (comment.IndexOf("evaldsl-disable", StringComparison.Ordinal) >= 0) return null;
        if (!ReferenceEquals(old.Suppressions, Suppressions.None))
        {
            // Suppressions name lines: they stand only when no line moved and no line became or stopped being code.
            if (lineDelta != 0) return null;
            for (var line = headerLine + 1; line <= closeLine + 1; line++) if (isCode[line] != oldIsCode[line]) return null;
        }
        for (var i = index + 1; i < suite.Cases.Count; i++) newSuite.Cases.Add(cloner.Case(suite.Cases[i], newSuite));

        foreach (var use in old.Uses) tree.Uses.Add(new UseSyntax(cloner.Range(use.Keyword), cloner.String(use.Path), use.IsMisplaced));
        foreach (var s in old.Suites) tree.Suites.Add(ReferenceEquals(s, suite) ? newSuite : cloner.Suite(s));
        foreach (var b in old.Behaviors) tree.Behaviors.Add(cloner.Behavior(b));
        foreach (var p in old.Personas) tree.Personas.Add(cloner.Persona(p));
        foreach (var d in old.DataSets) tree.DataSets.Add(cloner.Data(d));

        // Diagnostics: the old tree's less those of the old case (moved when after it), plus the new case's.
        var replaced = new Dictionary<(string, int, int, string), int>();
        foreach (var d in oldScratch.Diagnostics)
        {
            var key = (d.Id, d.Location.Offset, d.Location.Length, d.Message);
            replaced[key] = replaced.TryGetValue(key, out var n) ? n + 1 : 1;
        }
        foreach (var d in old.Diagnostics)
        {
            var key = (d.Id, d.Location.Offset, d.Location.Length, d.Message);
            if (replaced.TryGetValue(key, out var n) && n > 0)
            {
                replaced[key] = n - 1;
                continue;
            }
            tree.Diagnostics.Add(d.Location.Offset < regionStart
                ? d
                : new Diagnostic(d.Descriptor, d.Severity, source.Location(new TextRange(d.Location.Offset + delta, d.Location.Length)), Moved(d, closeLine, lineDelta), Related(d)));
        }
        foreach (var n in replaced.Values) if (n != 0) return null;

        IReadOnlyList<DiagnosticRelatedLocation>? Related(Diagnostic d)
        {
            if (d.RelatedLocations.Count == 0) return null;
            var moved = new DiagnosticRelatedLocation[d.RelatedLocations.Count];
            for (var i = 0; i < moved.Length; i++)
            {
                var r = d.RelatedLocations[i];
                moved[i] = new DiagnosticRelatedLocation(source.Location(new TextRange(Shift(r.Location.Offset), r.Location.Length)), r.Message);
            }
            return moved;
        }
        tree.Diagnostics.AddRange(scratch.Diagnostics);

        tree.UnknownStatements = old.UnknownStatements - oldScratch.UnknownStatements + scratch.UnknownStatements;
        tree.HasUnknownStatements = tree.UnknownStatements > 0;
        tree.Suppressions = old.Suppressions;
        System.Threading.Interlocked.Increment(ref Reuses);
        return tree;
    }

    // EVAL0111 names the line of the first setting, which moves when it comes after the case changed.
    private static string Moved(Diagnostic diagnostic, int closeLine, int lineDelta)
    {
        if (lineDelta == 0 || diagnostic.Descriptor != DiagnosticDescriptors.SettingTwice) return diagnostic.Message;
        return System.Text.RegularExpressions.Regex.Replace(diagnostic.Message, @"\(line (\d+)\)", m =>
        {
            var line = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return line > closeLine + 1 ? $"(line {line + lineDelta})" : m.Value;
        });
    }

    private static int LastStartingAtOrBefore(List<CaseSyntax> cases, int offset)
    {
        int lo = 0, hi = cases.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (cases[mid].Keyword.Start <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else hi = mid - 1;
        }
        return found;
    }

    private static int CommonPrefix(string a, string b)
    {
        var max = Math.Min(a.Length, b.Length);
        var i = 0;
        // Whole chunks first (an ordinal compare of a chunk is vectorised), then the characters of the chunk that differs.
        const int Chunk = 256;
        while (i + Chunk <= max && string.CompareOrdinal(a, i, b, i, Chunk) == 0) i += Chunk;
        while (i < max && a[i] == b[i]) i++;
        return i;
    }

    private static int CommonSuffix(string a, string b, int max)
    {
        var n = 0;
        const int Chunk = 256;
        while (n + Chunk <= max && string.CompareOrdinal(a, a.Length - n - Chunk, b, b.Length - n - Chunk, Chunk) == 0) n += Chunk;
        while (n < max && a[a.Length - n - 1] == b[b.Length - n - 1]) n++;
        return n;
    }

    /// <summary>Copies nodes of the old tree into the new one, every offset mapped by the shift.</summary>
    private sealed class Cloner
    {
        private readonly SyntaxTree _tree;
        private readonly Func<int, int> _shift;

        public Cloner(SyntaxTree tree, Func<int, int> shift)
        {
            _tree = tree;
            _shift = shift;
        }

        public TextRange Range(TextRange range) => new(_shift(range.Start), range.Length);

        public TextRange? Range(TextRange? range) => range is { } r ? Range(r) : null;

        [return: NotNullIfNotNull(nameof(name))]
        public NameSyntax? Name(NameSyntax? name)
        {
            if (name is null) return null;
            var start = _shift(name.Range.Start);
            return start == name.Range.Start ? name : name with { Range = new TextRange(start, name.Range.Length) };
        }

        public NumberSyntax? Number(NumberSyntax? number) =>
            number is null || _shift(number.Range.Start) == number.Range.Start ? number : number with { Range = Range(number.Range) };

        [return: NotNullIfNotNull(nameof(part))]
        public PlaceholderPart? Placeholder(PlaceholderPart? part) =>
            part is null || _shift(part.Range.Start) == part.Range.Start ? part : part with { Range = Range(part.Range) };

        [return: NotNullIfNotNull(nameof(s))]
        public StringSyntax? String(StringSyntax? s)
        {
            if (s is null || _shift(s.Range.Start) == s.Range.Start) return s;
            var parts = new StringPart[s.Parts.Count];
            for (var i = 0; i < parts.Length; i++) parts[i] = s.Parts[i] is PlaceholderPart p ? Placeholder(p) : s.Parts[i];
            return new StringSyntax(parts, Range(s.Range), s.IsTextBlock, s.HasErrors);
        }

        public RegexSyntax? Regex(RegexSyntax? regex)
        {
            if (regex is null || _shift(regex.Range.Start) == regex.Range.Start) return regex;
            var placeholders = new RegexPlaceholder[regex.Placeholders.Count];
            for (var i = 0; i < placeholders.Length; i++) placeholders[i] = regex.Placeholders[i] with { Part = Placeholder(regex.Placeholders[i].Part) };
            return regex with { Range = Range(regex.Range), Placeholders = placeholders };
        }

        private void Status(BlockStatus from, BlockStatus to)
        {
            to.OpenBrace = Range(from.OpenBrace);
            to.End = from.End is { } end ? _shift(end) : null;
            to.HeaderHasErrors = from.HeaderHasErrors;
            to.Unclosed = from.Unclosed;
            to.HasUnknownStatements = from.HasUnknownStatements;
        }

        private void Settings(SettingsSyntax from, SettingsSyntax to)
        {
            to.About = String(from.About);
            foreach (var tag in from.Tags) to.Tags.Add(Name(tag));
            to.Samples = Number(from.Samples);
            to.Pass = Number(from.Pass);
            to.RowsPass = Number(from.RowsPass);
            to.Temperature = Number(from.Temperature);
            to.Model = Name(from.Model);
            to.Judge = Name(from.Judge);
            foreach (var judge in from.Jury) to.Jury.Add(Name(judge));
        }

        /// <summary>The suite with everything but its cases.</summary>
        public SuiteSyntax SuiteHead(SuiteSyntax from)
        {
            var to = new SuiteSyntax(_tree, Range(from.Keyword), String(from.Title));
            Status(from.Status, to.Status);
            Settings(from.Settings, to.Settings);
            foreach (var p in from.Personas) to.Personas.Add(Persona(p));
            foreach (var d in from.DataSets) to.DataSets.Add(Data(d));
            return to;
        }

        public SuiteSyntax Suite(SuiteSyntax from)
        {
            var to = SuiteHead(from);
            foreach (var c in from.Cases) to.Cases.Add(Case(c, to));
            return to;
        }

        public PersonaSyntax Persona(PersonaSyntax from)
        {
            var to = new PersonaSyntax(_tree, Range(from.Keyword), Name(from.Name));
            Status(from.Status, to.Status);
            foreach (var s in from.System) to.System.Add(String(s));
            foreach (var m in from.Memory) to.Memory.Add(String(m));
            return to;
        }

        public DataSyntax Data(DataSyntax from)
        {
            var to = new DataSyntax(_tree, Range(from.Keyword), Name(from.Name))
            {
                FromPath = String(from.FromPath),
                FilterHasErrors = from.FilterHasErrors,
                HasRowErrors = from.HasRowErrors,
            };
            Status(from.Status, to.Status);
            foreach (var f in from.Filters) to.Filters.Add(new RowFilterSyntax(Name(f.Column), f.Negated, String(f.Value), Range(f.Range)));
            if (from.Columns is { } columns)
            {
                to.Columns = new List<NameSyntax>(columns.Count);
                foreach (var c in columns) to.Columns.Add(Name(c));
            }
            foreach (var row in from.Rows)
            {
                var cells = new StringSyntax[row.Cells.Count];
                for (var i = 0; i < cells.Length; i++) cells[i] = String(row.Cells[i]);
                to.Rows.Add(new DataRowSyntax(cells, Range(row.Range)));
            }
            return to;
        }

        public BehaviorSyntax Behavior(BehaviorSyntax from)
        {
            var to = new BehaviorSyntax(_tree, Range(from.Keyword), String(from.Phrase))
            {
                Means = String(from.Means),
                HasMeansStatement = from.HasMeansStatement,
            };
            Status(from.Status, to.Status);
            foreach (var s in from.Cites) to.Cites.Add(String(s));
            foreach (var s in from.Shows) to.Shows.Add(String(s));
            foreach (var s in from.Lacks) to.Lacks.Add(String(s));
            return to;
        }

        public CaseSyntax Case(CaseSyntax from, SuiteSyntax suite)
        {
            var to = new CaseSyntax(suite, Range(from.Keyword), String(from.Title))
            {
                ForEach = Name(from.ForEach),
                ReferenceKeyword = Range(from.ReferenceKeyword),
                Reference = String(from.Reference),
                HasBrokenVary = from.HasBrokenVary,
                AnswerKeyword = Range(from.AnswerKeyword),
                Answer = String(from.Answer),
            };
            Status(from.Status, to.Status);
            Settings(from.Settings, to.Settings);
            if (from.Status.End is { } end && _shift(end) == end)
            {
                // Before the change nothing moves: the case's turns and expectations are shared with the old tree
                // (no syntax node below a case names its parent, and none changes after parsing).
                to.Turns.AddRange(from.Turns);
                to.ForBlocks.AddRange(from.ForBlocks);
                to.Expectations.AddRange(from.Expectations);
                return to;
            }
            foreach (var turn in from.Turns) to.Turns.Add(Turn(turn));
            Dictionary<ForSyntax, ForSyntax>? fors = null;
            foreach (var f in from.ForBlocks)
            {
                var copy = new ForSyntax(Range(f.Keyword), Name(f.Label));
                Status(f.Status, copy.Status);
                to.ForBlocks.Add(copy);
                (fors ??= new())[f] = copy;
            }
            foreach (var e in from.Expectations)
            {
                var copy = Expectation(e, fors);
                to.Expectations.Add(copy);
                if (copy.For is { } f) f.Expectations.Add(copy);
            }
            return to;
        }

        private TurnSyntax Turn(TurnSyntax from)
        {
            TurnSyntax to;
            switch (from)
            {
                case RepeatSyntax repeat:
                {
                    var copy = new RepeatSyntax(Range(repeat.Keyword)) { Count = Number(repeat.Count) };
                    Status(repeat.Status, copy.Status);
                    foreach (var inner in repeat.Turns) copy.Turns.Add(Turn(inner));
                    to = copy;
                    break;
                }
                case VarySyntax vary:
                {
                    var copy = new VarySyntax(Range(vary.Keyword), Name(vary.Name));
                    Status(vary.Status, copy.Status);
                    foreach (var label in vary.Labels) copy.Labels.Add(new VaryLabelSyntax(Name(label.Label), String(label.Text)));
                    to = copy;
                    break;
                }
                default:
                    to = new TurnSyntax(from.Kind, Range(from.Keyword));
                    break;
            }
            to.Text = String(from.Text);
            to.Persona = Name(from.Persona);
            to.ReplyName = Name(from.ReplyName);
            to.HasErrors = from.HasErrors;
            to.Model = Name(from.Model);
            to.Prefill = String(from.Prefill);
            return to;
        }

        private ExpectationSyntax Expectation(ExpectationSyntax from, Dictionary<ForSyntax, ForSyntax>? fors) => new(from.Modality, Range(from.Keyword))
        {
            Negated = from.Negated,
            Kind = from.Kind,
            Phrase = from.Phrase,
            PhraseRange = Range(from.PhraseRange),
            Text = String(from.Text),
            Regex = Regex(from.Regex),
            VaryName = Name(from.VaryName),
            Alternatives = Placeholder(from.Alternatives),
            Degree = from.Degree,
            DegreeRange = Range(from.DegreeRange),
            UnderLabel = Name(from.UnderLabel),
            ThanLabel = Name(from.ThanLabel),
            For = from.For is { } f && fors is not null && fors.TryGetValue(f, out var copy) ? copy : null,
            HasErrors = from.HasErrors,
            IsMissing = from.IsMissing,
            Reply = Name(from.Reply),
            EveryReply = Range(from.EveryReply),
            Guard = from.Guard is { } g ? new GuardSyntax(Range(g.Keyword), Name(g.Reply)) { Text = String(g.Text), Regex = Regex(g.Regex) } : null,
            TrailingIn = Name(from.TrailingIn),
            CheckedKey = from.CheckedKey,
            PhraseKey = from.PhraseKey,
        };
    }
}
