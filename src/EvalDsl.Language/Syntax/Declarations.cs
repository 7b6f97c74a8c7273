using System.Collections.Generic;
using EvalDsl.Text;

namespace EvalDsl.Syntax;

/// <summary>What went wrong structurally in a block, so that semantic rules do not report what a syntax error caused.</summary>
internal sealed class BlockStatus
{
    /// <summary>The block's <c>{</c>, when it has one.</summary>
    public TextRange? OpenBrace { get; set; }

    /// <summary>The offset just after the block's <c>}</c> (or where the block was found to end); null for a statement without a block.</summary>
    public int? End { get; set; }

    /// <summary>The header line had an error after the parts the declaration needs (or lacked its brace).</summary>
    public bool HeaderHasErrors { get; set; }

    /// <summary>The block was never closed (EVAL0005) or the file was cut short by an unterminated text block.</summary>
    public bool Unclosed { get; set; }

    /// <summary>A statement in the block could not be recognised, so anything could be missing.</summary>
    public bool HasUnknownStatements { get; set; }

    /// <summary>Semantic rules about what is missing from the block must stay quiet.</summary>
    public bool MayBeIncomplete => HeaderHasErrors || Unclosed || HasUnknownStatements;
}

/// <summary>Single-valued settings of a suite or a case.</summary>
internal sealed class SettingsSyntax
{
    public StringSyntax? About { get; set; }
    public List<NameSyntax> Tags { get; } = new();
    public NumberSyntax? Samples { get; set; }
    public NumberSyntax? Pass { get; set; }
    /// <summary><c>pass P% of rows</c>: the share of a <c>for each</c> case's rows in which an expectation must hold.</summary>
    public NumberSyntax? RowsPass { get; set; }
    public NumberSyntax? Temperature { get; set; }
    public NameSyntax? Model { get; set; }
    public NameSyntax? Judge { get; set; }
    /// <summary><c>judge a, b, c</c>: every name of the line in order, <see cref="Judge"/> first; one name for a single judge.</summary>
    public List<NameSyntax> Jury { get; } = new();
}

/// <summary>A top-level or suite-level declaration.</summary>
internal abstract class DeclarationSyntax
{
    protected DeclarationSyntax(SyntaxTree tree, TextRange keyword)
    {
        Tree = tree;
        Keyword = keyword;
    }

    public SyntaxTree Tree { get; }

    public TextRange Keyword { get; }

    public BlockStatus Status { get; } = new();
}

internal sealed class SuiteSyntax : DeclarationSyntax
{
    public SuiteSyntax(SyntaxTree tree, TextRange keyword, StringSyntax title) : base(tree, keyword) => Title = title;

    public StringSyntax Title { get; }
    public SettingsSyntax Settings { get; } = new();
    public List<PersonaSyntax> Personas { get; } = new();
    public List<DataSyntax> DataSets { get; } = new();
    public List<CaseSyntax> Cases { get; } = new();
}

internal sealed class PersonaSyntax : DeclarationSyntax
{
    public PersonaSyntax(SyntaxTree tree, TextRange keyword, NameSyntax name) : base(tree, keyword) => Name = name;

    public NameSyntax Name { get; }
    public List<StringSyntax> System { get; } = new();
    public List<StringSyntax> Memory { get; } = new();
}

internal sealed class DataSyntax : DeclarationSyntax
{
    public DataSyntax(SyntaxTree tree, TextRange keyword, NameSyntax name) : base(tree, keyword) => Name = name;

    public NameSyntax Name { get; }

    /// <summary>The path string of <c>data NAME from "path"</c>.</summary>
    public StringSyntax? FromPath { get; set; }

    /// <summary>The conditions of <c>from "path" where COL is [not] "value" [and …]</c>, in order: a row is kept when all hold.</summary>
    public List<RowFilterSyntax> Filters { get; } = new();

    /// <summary>The <c>where</c> clause had a syntax error: <see cref="Filters"/> holds only the conditions before it.</summary>
    public bool FilterHasErrors { get; set; }

    /// <summary>Inline table: the header row's column names (null until a header row is read).</summary>
    public List<NameSyntax>? Columns { get; set; }

    public List<DataRowSyntax> Rows { get; } = new();

    /// <summary>A row or the header had a syntax error: the table's shape is unknown.</summary>
    public bool HasRowErrors { get; set; }
}

/// <summary>One condition of a data file's <c>where</c> clause: <c>COL is "value"</c> or <c>COL is not "value"</c>.</summary>
internal sealed record RowFilterSyntax(NameSyntax Column, bool Negated, StringSyntax Value, TextRange Range);

internal sealed record DataRowSyntax(IReadOnlyList<StringSyntax> Cells, TextRange Range);

internal sealed class BehaviorSyntax : DeclarationSyntax
{
    public BehaviorSyntax(SyntaxTree tree, TextRange keyword, StringSyntax phrase) : base(tree, keyword) => Phrase = phrase;

    public StringSyntax Phrase { get; }
    public StringSyntax? Means { get; set; }
    public List<StringSyntax> Cites { get; } = new();
    public List<StringSyntax> Shows { get; } = new();
    public List<StringSyntax> Lacks { get; } = new();

    /// <summary>A <c>means</c> statement was written, even if its value did not parse.</summary>
    public bool HasMeansStatement { get; set; }
}

/// <summary><c>use "file.eval"</c> at the top of a file: that file's behaviors, personas and data come into scope.</summary>
internal sealed class UseSyntax
{
    public UseSyntax(TextRange keyword, StringSyntax path, bool isMisplaced)
    {
        Keyword = keyword;
        Path = path;
        IsMisplaced = isMisplaced;
    }

    public TextRange Keyword { get; }

    /// <summary>The path string, relative to the folder of the file that holds the <c>use</c>.</summary>
    public StringSyntax Path { get; }

    /// <summary>The line stands after a declaration (EVAL0001); it still takes effect, so its names do not cascade.</summary>
    public bool IsMisplaced { get; }
}
