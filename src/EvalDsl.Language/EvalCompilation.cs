using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Configuration;
using EvalDsl.Analysis;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Parsing;
using EvalDsl.Plan;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl;

/// <summary>One spec file given to the compiler: its path (as the user wrote it) and its bytes or text.</summary>
public sealed class SpecDocument
{
    private SpecDocument(string path, byte[]? bytes, string? text)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Bytes = bytes;
        Text = text;
    }

    /// <summary>The path as given; diagnostics print it as is.</summary>
    public string Path { get; }

    internal byte[]? Bytes { get; }

    internal string? Text { get; }

    /// <summary>A file's raw bytes; they are checked to be UTF-8 text (EVAL0006 otherwise).</summary>
    public static SpecDocument FromBytes(string path, byte[] bytes) => new(path, bytes ?? throw new ArgumentNullException(nameof(bytes)), null);

    /// <summary>Text that is already decoded (a leading BOM is dropped).</summary>
    public static SpecDocument FromText(string path, string text) => new(path, null, text ?? throw new ArgumentNullException(nameof(text)));
}

/// <summary>Options for <see cref="EvalCompilation.Create(System.Collections.Generic.IEnumerable{SpecDocument}, EvalCompilationOptions?)"/>.</summary>
public sealed class EvalCompilationOptions
{
    /// <summary>Reads files named by <c>data NAME from "path"</c>; without one, such data sets report EVAL0109.</summary>
    public IDataFileProvider? DataFiles { get; set; }

    /// <summary>Reads the spec files <c>use "path"</c> names that were not given; without one, such a <c>use</c> reports EVAL0114.</summary>
    public IUsedFileProvider? UsedFiles { get; set; }

    /// <summary>Severity configuration (<c>dotnet_diagnostic.EVALnnnn.severity</c>); without one, default severities apply.</summary>
    public IDiagnosticOptions? DiagnosticOptions { get; set; }
}

/// <summary>
/// The specs compiled together: parsed, bound in one scope, analysed, with severity configuration and in-file
/// suppressions applied. This is the front end's facade; the CLI, the Roslyn adapter and the runtime use it.
/// </summary>
public sealed class EvalCompilation
{
    private EvalCompilation(IReadOnlyList<SyntaxTree> trees, BoundCompilation bound, IReadOnlyList<Diagnostic> diagnostics)
    {
        _trees = trees;
        _bound = bound;
        Diagnostics = diagnostics;
    }

    /// <summary>Visible diagnostics (hidden and suppressed ones removed) ordered by path (ordinal), line, column.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Is any diagnostic an error?</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    internal IReadOnlyList<SyntaxTree> Trees => IsReleased ? throw Released() : _trees;

    internal BoundCompilation Bound => IsReleased ? throw Released() : _bound;

    private readonly IReadOnlyList<SyntaxTree> _trees;
    private readonly BoundCompilation _bound;

    /// <summary>Its cases were let go of as its plan was built (<see cref="Lowering.PlanBuilder.BuildReleasing"/>): only its diagnostics remain.</summary>
    internal bool IsReleased { get; set; }

    private static System.InvalidOperationException Released() =>
        new("the compilation's cases were released when its plan was built (PlanBuilder.BuildReleasing)");

    /// <summary>Every name written in the specs, resolved; collected once, on the first editor query that needs it.</summary>
    internal List<Editing.Occurrence> Occurrences => _occurrences ??= Editing.Occurrences.Collect(Bound);

    private List<Editing.Occurrence>? _occurrences;

    /// <summary>Parses, binds and analyses the documents.</summary>
    public static EvalCompilation Create(IEnumerable<SpecDocument> documents, EvalCompilationOptions? options = null)
    {
        if (documents is null) throw new ArgumentNullException(nameof(documents));
        return Create(documents.Select(SpecSyntax.Parse), options);
    }

    /// <summary>Binds and analyses files parsed one by one (<see cref="SpecSyntax.Parse"/>), all in one scope.</summary>
    public static EvalCompilation Create(IEnumerable<SpecSyntax> specs, EvalCompilationOptions? options = null)
    {
        if (specs is null) throw new ArgumentNullException(nameof(specs));
        return Analyze(specs.Select(s => s.Tree).ToList(), options ?? new EvalCompilationOptions());
    }

    /// <summary>The built-in behaviours an expectation can name, in catalogue order.</summary>
    public static IReadOnlyList<EvalBehavior> BuiltInBehaviors => BuiltIns.Value;

    /// <summary>The built-in behaviour <paramref name="phrase"/> names (case and blanks ignored), or null.</summary>
    public static EvalBehavior? FindBuiltInBehavior(string phrase)
    {
        var key = Binding.BehaviorCatalog.KeyOf(phrase);
        return BuiltIns.Value.FirstOrDefault(b => Binding.BehaviorCatalog.KeyOf(b.Phrase) == key);
    }

    private static readonly Lazy<IReadOnlyList<EvalBehavior>> BuiltIns = new(() =>
        Binding.BehaviorCatalog.BuiltIn.Select(b => new EvalBehavior(b.Phrase, b.Means, b.Shows, b.Lacks, b.Cites)).ToList());

    /// <summary>The namespace of generated test classes when the project names none.</summary>
    public const string DefaultNamespace = Emit.CSharpEmitter.DefaultNamespace;

    /// <summary><paramref name="value"/> as a C# namespace (keywords escaped), or null when it cannot be one.</summary>
    public static string? NamespaceOf(string? value) => Emit.CSharp.Namespace(value);

    /// <summary>
    /// The C# xunit test classes of the specs: one partial class per suite, one test per case (one per data row).
    /// A suite with an error in it, or in a declaration it uses, or in a file whose <c>use</c> failed, generates nothing; the others do.
    /// </summary>
    /// <param name="namespace">The namespace of the classes (default <c>EvalDsl.Specs</c>).</param>
    /// <param name="linePath">Maps a spec's path to the one its <c>#line</c> directives name (default: as given).</param>
    /// <param name="utf8Literals">Write long values as UTF-8 literals (C# 11 and later), which do not count towards an assembly's 16 MB of user strings.</param>
    public IReadOnlyList<Emit.GeneratedFile> GenerateTests(string? @namespace = null, Func<string, string>? linePath = null, bool utf8Literals = true)
    {
        var lowered = Lowering.Lowerer.Lower(Bound).Suites;
        var classNames = Emit.CSharp.ClassNames(lowered.Select(s => s.Title));
        var fileNames = Emit.CSharp.FileNames(classNames);
        var errors = Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var files = new List<Emit.GeneratedFile>();
        for (var i = 0; i < lowered.Count; i++)
        {
            if (IsBroken(Bound, Bound.Suites[i], errors)) continue;
            var suite = Bound.Suites[i].Syntax;
            files.Add(Emit.CSharpEmitter.EmitSuite(lowered[i], classNames[i], fileNames[i], @namespace, linePath, utf8Literals)
                with { Suite = suite.Tree.Source.Location(suite.Title.Range) });
        }
        return files;
    }

    /// <summary>The suites whose tests <see cref="GenerateTests"/> leaves out because of errors, by title.</summary>
    public IReadOnlyList<string> BrokenSuites()
    {
        var errors = Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return Bound.Suites.Where(s => IsBroken(Bound, s, errors)).Select(s => s.Syntax.Title.Template).ToList();
    }

    private static bool IsBroken(BoundCompilation compilation, BoundSuite suite, IReadOnlyList<Diagnostic> errors)
    {
        if (errors.Count == 0) return false;
        if (suite.Syntax.Title.IsMissing()) return true;
        // A file whose use failed (EVAL0114) may name what the missing file declares, unreported.
        if (compilation.MayLackDeclarations.Contains(suite.Syntax.Tree)) return true;
        if (HasErrorIn(suite.Syntax, errors)) return true;
        foreach (var bound in suite.Cases)
        {
            if (bound.Persona is { } persona && HasErrorIn(persona, errors)) return true;
            if (bound.Data is { } data && HasErrorIn(data.Syntax, errors)) return true;
            foreach (var behavior in bound.Behaviors.Values)
            {
                if (behavior.Syntax is { } declared && HasErrorIn(declared, errors)) return true;
            }
        }
        return false;
    }

    private static bool HasErrorIn(DeclarationSyntax declaration, IReadOnlyList<Diagnostic> errors)
    {
        var source = declaration.Tree.Source;
        var first = source.PositionOf(declaration.Keyword.Start).Line;
        var last = declaration.Status.End is { } end ? source.PositionOf(System.Math.Max(declaration.Keyword.Start, end - 1)).Line : first;
        foreach (var d in errors)
        {
            if (d.Location.Path == declaration.Tree.Path && d.Location.Line >= first && d.Location.Line <= last) return true;
        }
        return false;
    }

    internal static EvalCompilation Analyze(IReadOnlyList<SyntaxTree> trees, EvalCompilationOptions options)
    {
        var uses = UsedFiles.Resolve(trees, options.UsedFiles);
        var bound = Binder.Bind(uses.Trees, options.DataFiles);
        bound.UseProblems.AddRange(uses.Problems);
        bound.UsedFiles.UnionWith(uses.Used);
        bound.MayLackDeclarations.UnionWith(uses.MayLackDeclarations);
        var raw = new List<Diagnostic>();
        foreach (var tree in bound.Trees) raw.AddRange(tree.Diagnostics);
        var context = new AnalysisContext(bound, raw);
        foreach (var analyzer in Analyzers.All) context.Run(analyzer);

        var suppressions = bound.Trees.GroupBy(t => t.Path).ToDictionary(g => g.Key, g => g.First().Suppressions, StringComparer.Ordinal);
        var visible = new List<Diagnostic>(raw.Count);
        foreach (var diagnostic in raw)
        {
            if (diagnostic.Descriptor.IsConfigurable &&
                suppressions.TryGetValue(diagnostic.Location.Path, out var s) &&
                s.IsSuppressed(diagnostic.Id, diagnostic.Location.Line))
            {
                continue;
            }
            var severity = SeverityConfiguration.Effective(diagnostic, options.DiagnosticOptions);
            if (severity == DiagnosticSeverity.Hidden) continue;
            visible.Add(severity == diagnostic.Severity ? diagnostic : diagnostic.WithSeverity(severity));
        }

        visible.Sort(DiagnosticOrder.Instance);
        return new EvalCompilation(bound.Trees, bound, visible);
    }

    private sealed class DiagnosticOrder : IComparer<Diagnostic>
    {
        public static readonly DiagnosticOrder Instance = new();

        public int Compare(Diagnostic? x, Diagnostic? y)
        {
            var a = x!.Location;
            var b = y!.Location;
            var c = string.CompareOrdinal(a.Path, b.Path);
            if (c == 0) c = a.Line.CompareTo(b.Line);
            if (c == 0) c = a.Column.CompareTo(b.Column);
            if (c == 0) c = string.CompareOrdinal(x.Id, y.Id);
            if (c == 0) c = string.CompareOrdinal(x.Message, y.Message);
            return c;
        }
    }
}
