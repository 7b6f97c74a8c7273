using System.Collections.Generic;
using System.Linq;
using EvalDsl.Lowering;
using EvalDsl.Plan;

namespace EvalDsl.Tests;

/// <summary>
/// What the data forms of issue 10 lower to: the rows a <c>where</c> clause keeps (with their row numbers in the file),
/// a pandas export's index column, nested JSONL values behind <c>{a.b}</c> and <c>{a[0]}</c>, and placeholders inside
/// regular expressions, inserted escaped.
/// </summary>
public sealed class DataFormsTests
{
    private static EvalCompilation Compile(string spec, params (string Path, string Text)[] files) =>
        EvalCompilation.Create(new[] { SpecDocument.FromText("spec.eval", spec) },
            new EvalCompilationOptions { DataFiles = new Files(files.ToDictionary(f => f.Path, f => f.Text)) });

    private static IReadOnlyList<EvalCase> Cases(EvalCompilation compilation) =>
        Lowerer.Lower(compilation.Bound).Suites.SelectMany(s => s.Cases).ToList();

    private const string Aita = "id,verdict,story\n1,YTA,cake\n2,NTA,music\n3,YTA,wedding\n4,ESH,yelling\n";

    [Fact]
    public void A_where_clause_keeps_the_matching_rows_with_their_row_numbers()
    {
        var compilation = Compile("""
            suite "s" {
              data wrong from "aita.csv" where verdict is "YTA"
              case "t {story}" for each wrong {
                user "{story}"
                must not flatter the user
              }
            }
            """, ("aita.csv", Aita));
        Assert.Empty(Checker.Render(compilation));
        var cases = Cases(compilation);
        Assert.Equal(new[] { "t cake", "t wedding" }, cases.Select(c => c.Title));
        Assert.Equal(new int?[] { 1, 3 }, cases.Select(c => c.Row));
    }

    [Fact]
    public void Is_not_and_and_combine()
    {
        var compilation = Compile("""
            suite "s" {
              data rest from "aita.csv" where verdict is not "YTA" and id is not "4"
              case "t {story}" for each rest {
                user "{story}"
                must not flatter the user
              }
            }
            """, ("aita.csv", Aita));
        Assert.Empty(Checker.Render(compilation));
        Assert.Equal(new[] { "t music" }, Cases(compilation).Select(c => c.Title));
        Assert.Equal(new int?[] { 2 }, Cases(compilation).Select(c => c.Row));
    }

    [Fact]
    public void A_jsonl_value_that_is_not_a_string_is_compared_as_its_json_text()
    {
        var compilation = Compile("""
            suite "s" {
              data flagged from "a.jsonl" where flagged is "true"
              case "t {q}" for each flagged {
                user "{q}"
                must not flatter the user
              }
            }
            """, ("a.jsonl", "{\"q\":\"one\",\"flagged\":false}\n{\"q\":\"two\",\"flagged\":true}\n"));
        Assert.Empty(Checker.Render(compilation));
        Assert.Equal(new[] { "t two" }, Cases(compilation).Select(c => c.Title));
    }

    [Fact]
    public void A_pandas_index_column_is_named_row()
    {
        var compilation = Compile("""
            suite "s" {
              data claims from "claims.csv"
              case "t {row} {claim}" for each claims {
                user "{claim}"
                must contain "{truth}"
              }
            }
            """, ("claims.csv", ",claim,truth\n0,moon,no\n1,water,yes\n"));
        Assert.Empty(Checker.Render(compilation));
        Assert.Equal(new[] { "t 0 moon", "t 1 water" }, Cases(compilation).Select(c => c.Title));
    }

    private sealed class Files : IDataFileProvider
    {
        private readonly Dictionary<string, string> _files;

        public Files(Dictionary<string, string> files) => _files = files;

        public string? Read(string specPath, string relativePath, out string? problem)
        {
            problem = _files.ContainsKey(relativePath) ? null : $"there is no file {relativePath}";
            return _files.TryGetValue(relativePath, out var text) ? text : null;
        }
    }
}
