using System;
using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Text;

namespace EvalDsl;

/// <summary>What a completion item names.</summary>
public enum EditorCompletionKind
{
    /// <summary>A keyword that may start the line here.</summary>
    Keyword,
    /// <summary>A behaviour phrase, built in or declared.</summary>
    Behavior,
    /// <summary>A persona in scope.</summary>
    Persona,
    /// <summary>A data set in scope.</summary>
    DataSet,
    /// <summary>A column of the case's data set.</summary>
    Column,
    /// <summary>A vary of the case.</summary>
    Vary,
}

/// <summary>One completion: the text to insert and a one-line detail.</summary>
public sealed class EditorCompletion
{
    internal EditorCompletion(string label, EditorCompletionKind kind, string detail, SourceLocation range)
    {
        Label = label;
        Kind = kind;
        Detail = detail;
        Range = range;
    }

    /// <summary>What the completion replaces: the part of the name or phrase typed so far (empty when nothing is).</summary>
    public SourceLocation Range { get; }

    /// <summary>The text inserted (a keyword, a phrase, a name).</summary>
    public string Label { get; }

    /// <summary>What it names.</summary>
    public EditorCompletionKind Kind { get; }

    /// <summary>One line about it: a keyword's help, a behaviour's meaning, where a name is declared.</summary>
    public string Detail { get; }
}

/// <summary>Hover text for a range: Markdown.</summary>
public sealed class EditorHover
{
    internal EditorHover(SourceLocation range, string markdown)
    {
        Range = range;
        Markdown = markdown;
    }

    /// <summary>The word or phrase the text is about.</summary>
    public SourceLocation Range { get; }

    /// <summary>The text, in Markdown.</summary>
    public string Markdown { get; }
}

/// <summary>A replacement of a range of a spec file by new text.</summary>
public sealed class EditorTextEdit
{
    internal EditorTextEdit(SourceLocation range, string newText)
    {
        Range = range;
        NewText = newText;
    }

    /// <summary>What is replaced (an empty range inserts).</summary>
    public SourceLocation Range { get; }

    /// <summary>The text put there.</summary>
    public string NewText { get; }
}

/// <summary>A fix the editor can apply: a title and its edits.</summary>
public sealed class EditorCodeAction
{
    internal EditorCodeAction(string title, IReadOnlyList<EditorTextEdit> edits, Diagnostic diagnostic, bool isPreferred)
    {
        Title = title;
        Edits = edits;
        Diagnostic = diagnostic;
        IsPreferred = isPreferred;
    }

    /// <summary>What it does, as the editor's menu shows it.</summary>
    public string Title { get; }

    /// <summary>The edits, all in the diagnostic's file.</summary>
    public IReadOnlyList<EditorTextEdit> Edits { get; }

    /// <summary>The diagnostic it fixes or suppresses.</summary>
    public Diagnostic Diagnostic { get; }

    /// <summary>The fix a "fix all"/"apply the obvious one" command takes: a "Did you mean" replacement.</summary>
    public bool IsPreferred { get; }
}

/// <summary>What an outline entry is.</summary>
public enum EditorSymbolKind
{
    /// <summary>A suite.</summary>
    Suite,
    /// <summary>A case of a suite.</summary>
    Case,
    /// <summary>A declared behaviour.</summary>
    Behavior,
    /// <summary>A persona.</summary>
    Persona,
    /// <summary>A data set.</summary>
    DataSet,
}

/// <summary>An entry of a file's outline: a suite with its cases, or a declaration.</summary>
public sealed class EditorSymbol
{
    internal EditorSymbol(string name, EditorSymbolKind kind, SourceLocation range, SourceLocation selectionRange, IReadOnlyList<EditorSymbol> children)
    {
        Name = name;
        Kind = kind;
        Range = range;
        SelectionRange = selectionRange;
        Children = children;
    }

    /// <summary>The title, name or phrase.</summary>
    public string Name { get; }

    /// <summary>What it is.</summary>
    public EditorSymbolKind Kind { get; }

    /// <summary>From its keyword to its closing brace.</summary>
    public SourceLocation Range { get; }

    /// <summary>Its title, name or phrase as written.</summary>
    public SourceLocation SelectionRange { get; }

    /// <summary>A suite's cases, personas and data sets, in file order.</summary>
    public IReadOnlyList<EditorSymbol> Children { get; }
}

/// <summary>What a semantic token is.</summary>
public enum EditorTokenKind
{
    /// <summary>A keyword: a statement's first word or a word joining its parts (<c>not</c>, <c>for each</c>, <c>across</c>…).</summary>
    Keyword,
    /// <summary>A string or a line of a text block.</summary>
    String,
    /// <summary>A number or percentage.</summary>
    Number,
    /// <summary>A regular expression.</summary>
    Regex,
    /// <summary>A comment.</summary>
    Comment,
    /// <summary>A behaviour phrase.</summary>
    Behavior,
    /// <summary>A persona name.</summary>
    Persona,
    /// <summary>A data set name.</summary>
    DataSet,
    /// <summary>A vary name.</summary>
    Vary,
    /// <summary>A data column (in a header, a filter or a placeholder).</summary>
    Column,
}

/// <summary>A semantic token: a range on one line and its kind.</summary>
public sealed class EditorToken
{
    internal EditorToken(SourceLocation range, EditorTokenKind kind)
    {
        Range = range;
        Kind = kind;
    }

    /// <summary>Where it is; never more than one line.</summary>
    public SourceLocation Range { get; }

    /// <summary>What it is.</summary>
    public EditorTokenKind Kind { get; }
}

/// <summary>
/// What an editor asks about specs while they are edited, answered from a compilation (the one
/// <c>EvalCompilation.Create</c> made of the open and on-disk specs) as plain data. Lines and columns count from 1,
/// columns in UTF-16 code units, as in <see cref="SourceLocation"/>; a language server maps them to its protocol.
/// </summary>
public static class EditorServices
{
    /// <summary>Hover text at a position: a behaviour's meaning, source and examples; a persona's, data set's or vary's declaration; a placeholder's column and first values; a keyword's help. Null where there is nothing to say.</summary>
    public static EditorHover? Hover(EvalCompilation compilation, string path, int line, int column) =>
        Editing.EditorQueries.Hover(Check(compilation), path, line, column);

    /// <summary>Completions at a position: keywords that may start the line, behaviour phrases after <c>must</c>/<c>should</c>, personas after <c>with</c>, data sets after <c>for each</c>, columns and varies inside <c>{…}</c>, varies after <c>consistent across</c>.</summary>
    public static IReadOnlyList<EditorCompletion> Complete(EvalCompilation compilation, string path, int line, int column) =>
        Editing.EditorQueries.Complete(Check(compilation), path, line, column);

    /// <summary>Where the behaviour, persona, data set, vary or column named at a position is declared (none for a built-in behaviour or a file's column).</summary>
    public static IReadOnlyList<SourceLocation> Definition(EvalCompilation compilation, string path, int line, int column) =>
        Editing.EditorQueries.Definition(Check(compilation), path, line, column);

    /// <summary>Every place, in every file, the name at a position is written, declaration included when <paramref name="includeDeclaration"/>.</summary>
    public static IReadOnlyList<SourceLocation> References(EvalCompilation compilation, string path, int line, int column, bool includeDeclaration = true) =>
        Editing.EditorQueries.References(Check(compilation), path, line, column, includeDeclaration);

    /// <summary>The edits that rename the name at a position everywhere to <paramref name="newName"/>; null when nothing renameable is there or the new name cannot be written there.</summary>
    public static IReadOnlyList<EditorTextEdit>? Rename(EvalCompilation compilation, string path, int line, int column, string newName) =>
        Editing.EditorQueries.Rename(Check(compilation), path, line, column, newName ?? throw new ArgumentNullException(nameof(newName)));

    /// <summary>
    /// The fixes of a diagnostic of this compilation: its "Did you mean" replacement, the missing <c>shows</c>/<c>lacks</c>
    /// line of a behaviour (EVAL0204), and, for a rule that can be configured, a suppression comment on the line before.
    /// </summary>
    public static IReadOnlyList<EditorCodeAction> CodeActions(EvalCompilation compilation, Diagnostic diagnostic) =>
        Editing.EditorQueries.CodeActions(Check(compilation), diagnostic ?? throw new ArgumentNullException(nameof(diagnostic)));

    /// <summary>The outline of a file: its suites (with their cases, personas and data sets) and its top-level declarations, in file order.</summary>
    public static IReadOnlyList<EditorSymbol> Symbols(EvalCompilation compilation, string path) =>
        Editing.EditorQueries.Symbols(Check(compilation), path);

    /// <summary>The blocks of a file that span more than one line, from their keyword to their closing brace.</summary>
    public static IReadOnlyList<SourceLocation> FoldingRanges(EvalCompilation compilation, string path) =>
        Editing.EditorQueries.FoldingRanges(Check(compilation), path);

    /// <summary>The semantic tokens of a file, in order, each on one line and none overlapping.</summary>
    public static IReadOnlyList<EditorToken> SemanticTokens(EvalCompilation compilation, string path) =>
        Editing.EditorQueries.SemanticTokens(Check(compilation), path);

    private static EvalCompilation Check(EvalCompilation compilation) => compilation ?? throw new ArgumentNullException(nameof(compilation));
}
