using System.Collections.Generic;
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
    public BoundDataSet(DataSyntax syntax, IReadOnlyList<string>? columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        Syntax = syntax;
        Columns = columns;
        Rows = rows;
    }

    public DataSyntax Syntax { get; }
    public string Name => Syntax.Name.Text;

    /// <summary>Null when the columns could not be read (a syntax error or an unreadable file).</summary>
    public IReadOnlyList<string>? Columns { get; }

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }
}

/// <summary>A case with its names resolved and its effective settings.</summary>
internal sealed class BoundCase
{
    public BoundCase(CaseSyntax syntax, BoundSuite suite) { Syntax = syntax; Suite = suite; }

    public CaseSyntax Syntax { get; }
    public BoundSuite Suite { get; }
    public PersonaSyntax? Persona { get; set; }
    public BoundDataSet? Data { get; set; }

    /// <summary>The behavior each expectation names (null for checks, comparisons and unknown phrases).</summary>
    public Dictionary<ExpectationSyntax, BoundBehavior> Behaviors { get; } = new();

    public int Samples { get; set; } = 1;
    public decimal Pass { get; set; } = 100m;
    public decimal? Temperature { get; set; }
    public string Model { get; set; } = "target";
    public string Judge { get; set; } = "judge";
}

internal sealed class BoundSuite
{
    public BoundSuite(SuiteSyntax syntax) => Syntax = syntax;

    public SuiteSyntax Syntax { get; }
    public List<BoundCase> Cases { get; } = new();
}
