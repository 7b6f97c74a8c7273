using System;
using EvalDsl.Parsing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl;

/// <summary>
/// One spec file parsed on its own: the unit a build or an editor re-parses when that file changes, before all
/// specs are bound together by <see cref="EvalCompilation.Create(System.Collections.Generic.IEnumerable{SpecSyntax}, EvalCompilationOptions?)"/>.
/// It is never changed after parsing.
/// </summary>
public sealed class SpecSyntax
{
    private SpecSyntax(SyntaxTree tree) => Tree = tree;

    /// <summary>The path the file was given with; diagnostics name it.</summary>
    public string Path => Tree.Path;

    internal SyntaxTree Tree { get; }

    /// <summary>Parses a document (bytes that are not UTF-8 text give one EVAL0006 saying so).</summary>
    public static SpecSyntax Parse(SpecDocument document)
    {
        if (document is null) throw new ArgumentNullException(nameof(document));
        if (document.Text is { } text) return new(Parser.Parse(new SourceText(document.Path, SourceDecoder.StripBom(text))));
        var decoded = SourceDecoder.TryDecode(document.Bytes!, out var problem);
        return new(decoded is null
            ? Parser.Unreadable(document.Path, problem!)
            : Parser.Parse(new SourceText(document.Path, decoded)));
    }

    /// <summary>
    /// Parses <paramref name="text"/>, a new version of this file's text (an editor's after a change), reusing what
    /// the change did not touch: when the change lies inside one case, only that case is parsed again. The result is
    /// the same as <see cref="Parse"/> of <see cref="SpecDocument.FromText"/> with this path and the new text.
    /// </summary>
    public SpecSyntax Reparse(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        var source = new SourceText(Path, SourceDecoder.StripBom(text));
        if (source.Text == Tree.Source.Text && !Tree.IsUnreadable) return this;
        return new(IncrementalParser.TryReparse(Tree, source) ?? Parser.Parse(source));
    }

    /// <summary>A file that could not be read at all: one EVAL0006 at its start, saying <paramref name="problem"/>.</summary>
    public static SpecSyntax Unreadable(string path, string problem) => new(Parser.Unreadable(path, problem));
}
