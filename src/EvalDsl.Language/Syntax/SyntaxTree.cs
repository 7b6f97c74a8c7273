using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Text;

namespace EvalDsl.Syntax;

/// <summary>One parsed file: its declarations, syntax diagnostics and suppression comments.</summary>
internal sealed class SyntaxTree
{
    public SyntaxTree(SourceText source) => Source = source;

    public SourceText Source { get; }
    public string Path => Source.Path;

    public List<SuiteSyntax> Suites { get; } = new();
    public List<BehaviorSyntax> Behaviors { get; } = new();
    public List<PersonaSyntax> Personas { get; } = new();
    public List<DataSyntax> DataSets { get; } = new();

    /// <summary>The <c>use "file.eval"</c> statements, in file order.</summary>
    public List<UseSyntax> Uses { get; } = new();

    /// <summary>
    /// Loaded only because a spec uses it (it was not given): its declarations are in scope, its suites are dropped
    /// (neither run nor checked; the file is checked when it is given itself).
    /// </summary>
    public bool IsUsedOnly { get; set; }

    public List<Diagnostic> Diagnostics { get; } = new();

    /// <summary>The file could not be read as text (EVAL0006).</summary>
    public bool IsUnreadable { get; set; }

    /// <summary>An unterminated text block swallowed the rest of the file.</summary>
    public bool IsTruncated { get; set; }

    /// <summary>Some statement in the file could not be recognised (it might have used any name).</summary>
    public bool HasUnknownStatements { get; set; }

    /// <summary>Suppression comments found in the file.</summary>
    public Suppressions Suppressions { get; set; } = Suppressions.None;

    /// <summary>How many lines blocks did not take (<see cref="HasUnknownStatements"/> is this above 0); an incremental parse keeps count.</summary>
    public int UnknownStatements { get; set; }

    /// <summary>More '{' than '}' or the other way round: the parser then matches braces by indentation, so no block is re-parsed alone.</summary>
    public bool BracesUnbalanced { get; set; }
}
