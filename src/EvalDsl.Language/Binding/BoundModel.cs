using System.Collections.Generic;
using System.Linq;
using EvalDsl.Syntax;

namespace EvalDsl.Binding;

/// <summary>A behavior a judge can be asked about: built in or declared.</summary>
internal sealed class BoundBehavior
{
    public BoundBehavior(string phrase, string means, IReadOnlyList<string> cites, IReadOnlyList<string> shows, IReadOnlyList<string> lacks, BehaviorSyntax? syntax, bool isBuiltIn)
    {
        Phrase = phrase;
        Means = means;
        Cites = cites;
        Shows = shows;
        Lacks = lacks;
        Syntax = syntax;
        IsBuiltIn = isBuiltIn;
    }

    /// <summary>The phrase as declared (blanks collapsed).</summary>
    public string Phrase { get; }
    public string Means { get; }
    public IReadOnlyList<string> Cites { get; }
    public IReadOnlyList<string> Shows { get; }
    public IReadOnlyList<string> Lacks { get; }
    public BehaviorSyntax? Syntax { get; }
    public bool IsBuiltIn { get; }

    /// <summary>Lower-case key used for matching.</summary>
    public string Key => BehaviorCatalog.KeyOf(Phrase);
}

/// <summary>A data set with its columns and rows, read from an inline table or a file.</summary>
internal sealed class BoundDataSet
{
    public BoundDataSet(DataSyntax syntax, IReadOnlyList<string>? columns, IReadOnlyList<IReadOnlyList<string>> rows,
        IReadOnlyList<int>? rowNumbers = null, IReadOnlyList<IReadOnlyList<System.Text.Json.JsonElement?>>? nested = null)
    {
        Syntax = syntax;
        Columns = columns;
        Rows = rows;
        RowNumbers = rowNumbers ?? System.Linq.Enumerable.Range(1, rows.Count).ToArray();
        Nested = nested;
    }

    /// <summary>Per kept row, the JSON objects and arrays of a JSONL file's columns (null for text), or null when there are none.</summary>
    public IReadOnlyList<IReadOnlyList<System.Text.Json.JsonElement?>>? Nested { get; }

    public DataSyntax Syntax { get; }
    public string Name => Syntax.Name.Text;

    /// <summary>Null when the columns could not be read (a syntax error or an unreadable file).</summary>
    public IReadOnlyList<string>? Columns { get; }

    /// <summary>The rows a <c>for each</c> runs: a file's rows that its <c>where</c> clause keeps.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>Each kept row's 1-based number among all rows of the table or file (tests keep it when a filter drops rows before it).</summary>
    public IReadOnlyList<int> RowNumbers { get; }
}

/// <summary>A case with its names resolved and its effective settings.</summary>
internal sealed class BoundCase
{
    public BoundCase(CaseSyntax syntax, BoundSuite suite) { Syntax = syntax; Suite = suite; }

    public CaseSyntax Syntax { get; }
    public BoundSuite Suite { get; }
    public PersonaSyntax? Persona { get; set; }
    public BoundDataSet? Data { get; set; }

    /// <summary>The behavior each expectation names (checks, comparisons and unknown phrases name none).</summary>
    public IReadOnlyDictionary<ExpectationSyntax, BoundBehavior> Behaviors => _behaviors ?? NoBehaviors;

    public void SetBehavior(ExpectationSyntax expectation, BoundBehavior behavior) => (_behaviors ??= new())[expectation] = behavior;

    /// <summary>
    /// Whether <paramref name="expectation"/> is a behavior expectation whose phrase names no behavior but would without
    /// its trailing <c>in WORD</c> (<see cref="ExpectationSyntax.TrailingIn"/>): WORD is an unknown reply (EVAL0121), not
    /// part of the phrase.
    /// </summary>
    public bool IsUnknownReply(ExpectationSyntax expectation) => _unknownReplies?.Contains(expectation) == true;

    public void AddUnknownReply(ExpectationSyntax expectation) => (_unknownReplies ??= new()).Add(expectation);

    // Created on first use: most cases of a large spec check text and need neither (a case holds no empty collections).
    private Dictionary<ExpectationSyntax, BoundBehavior>? _behaviors;
    private HashSet<ExpectationSyntax>? _unknownReplies;
    private static readonly IReadOnlyDictionary<ExpectationSyntax, BoundBehavior> NoBehaviors = new Dictionary<ExpectationSyntax, BoundBehavior>();

    // Effective settings: the case's, else the suite's, else the default; an invalid value keeps the default.
    public int Samples { get; set; } = 1;
    public decimal Pass { get; set; } = 100m;
    /// <summary>The valid <c>pass N% of rows</c> in effect on a <c>for each</c> case (the case's, else the suite's), or null.</summary>
    public decimal? RowsPass { get; set; }
    public decimal? Temperature { get; set; }
    public string Model { get; set; } = BindingNames.Target;
    public string Judge { get; set; } = BindingNames.Judge;

    /// <summary>The valid setting that gave <see cref="Samples"/>; null for the default.</summary>
    public NumberSyntax? SamplesSyntax { get; set; }

    /// <summary>A samples setting is in effect but invalid (EVAL0107): <see cref="Samples"/> is only the default.</summary>
    public bool HasInvalidSamples { get; set; }

    /// <summary>The valid setting that gave <see cref="Pass"/>; null for the default.</summary>
    public NumberSyntax? PassSyntax { get; set; }

    /// <summary>The name that gave <see cref="Model"/>; null for the default.</summary>
    public NameSyntax? ModelSyntax { get; set; }

    /// <summary>The name that gave <see cref="Judge"/>; null for the default.</summary>
    public NameSyntax? JudgeSyntax { get; set; }

    /// <summary><c>judge a, b, c</c> in effect: every member's name (missing ones left out), <see cref="Judge"/> first; empty for a single judge.</summary>
    public IReadOnlyList<NameSyntax> Jury { get; set; } = System.Array.Empty<NameSyntax>();
}

internal sealed class BoundSuite
{
    public BoundSuite(SuiteSyntax syntax) => Syntax = syntax;

    public SuiteSyntax Syntax { get; }
    public List<BoundCase> Cases { get; } = new();
}
