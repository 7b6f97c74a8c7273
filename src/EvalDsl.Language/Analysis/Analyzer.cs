using System.Collections.Generic;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis;

/// <summary>One rule. Every analyzer reports only its own descriptor.</summary>
internal abstract class Analyzer
{
    public abstract DiagnosticDescriptor Descriptor { get; }

    public abstract void Analyze(AnalysisContext context);
}

/// <summary>What an analyzer sees, and where it reports.</summary>
internal sealed class AnalysisContext
{
    private readonly List<Diagnostic> _diagnostics;
    private Analyzer? _current;

    public AnalysisContext(BoundCompilation compilation, List<Diagnostic> diagnostics)
    {
        Compilation = compilation;
        _diagnostics = diagnostics;
    }

    public BoundCompilation Compilation { get; }

    internal void Run(Analyzer analyzer)
    {
        _current = analyzer;
        analyzer.Analyze(this);
        _current = null;
    }

    public void Report(SyntaxTree tree, TextRange range, string message)
    {
        var descriptor = _current!.Descriptor;
        _diagnostics.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, tree.Source.Location(range), message));
    }

    /// <summary>Reports a problem that names another place (<paramref name="relatedRange"/> in <paramref name="relatedTree"/>), published as related information.</summary>
    public void Report(SyntaxTree tree, TextRange range, string message, SyntaxTree relatedTree, TextRange relatedRange, string relatedMessage)
    {
        var descriptor = _current!.Descriptor;
        _diagnostics.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, tree.Source.Location(range), message,
            new[] { new DiagnosticRelatedLocation(relatedTree.Source.Location(relatedRange), relatedMessage) }));
    }
}

/// <summary>All analyzers, one per rule, in ID order.</summary>
internal static class Analyzers
{
    public static IReadOnlyList<Analyzer> All { get; } = new Analyzer[]
    {
        new Rules.UnknownBehaviorAnalyzer(),
        new Rules.DuplicateNameAnalyzer(),
        new Rules.UnknownReferenceAnalyzer(),
        new Rules.PlaceholderAnalyzer(),
        new Rules.NoUserTurnAnalyzer(),
        new Rules.NoExpectationsAnalyzer(),
        new Rules.ValueRangeAnalyzer(),
        new Rules.ComparisonAnalyzer(),
        new Rules.DataAnalyzer(),
        new Rules.BehaviorMeansAnalyzer(),
        new Rules.ExpansionAnalyzer(),
        new Rules.LiteralPlaceholderAnalyzer(),
        new Rules.UsedFileAnalyzer(),
        new Rules.UseCycleAnalyzer(),
        new Rules.OptionLetterAnalyzer(),
        new Rules.RowsPassAnalyzer(),
        new Rules.UnknownReplyAnalyzer(),
        new Rules.ReplySuffixAnalyzer(),
        new Rules.AnswerAnalyzer(),
        new Rules.UnknownVaryLabelAnalyzer(),
        new Rules.LabelsNotComparableAnalyzer(),
        new Rules.AmbiguousVaryLabelAnalyzer(),
        new Rules.ComparisonInForAnalyzer(),
        new Rules.ContradictionAnalyzer(),
        new Rules.ThresholdAnalyzer(),
        new Rules.SelfGradingAnalyzer(),
        new Rules.CalibrationAnalyzer(),
        new Rules.UnusedDeclarationAnalyzer(),
        new Rules.RepeatedExpectationAnalyzer(),
        new Rules.UnreadReferenceAnalyzer(),
        new Rules.UnreadAnswerAnalyzer(),
        new Rules.AssistantBeforeReplyAnalyzer(),
        new Rules.EveryReplyOfOneAnalyzer(),
        new Rules.EmptyForAnalyzer(),
        new Rules.JurorTwiceAnalyzer(),
        new Rules.JuryOfTwoAnalyzer(),
        new Rules.LaunchCoverageAnalyzer(),
        new Rules.BlockingExpectationAnalyzer(),
    };
}
