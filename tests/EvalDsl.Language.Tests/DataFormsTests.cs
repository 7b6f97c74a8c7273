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

    private const string Mmlu =
        "{\"q\":\"Prime?\",\"base\":{\"correct_letter\":\"B\",\"score\":0.5,\"tags\":[\"math\",\"easy\"]},\"answers\":[\"4\",\"7\"]}\n" +
        "{\"q\":\"Capital?\",\"base\":{\"correct_letter\":\"C\",\"score\":1,\"tags\":[]},\"answers\":[\"Sydney\",\"Canberra\"]}\n";

    [Fact]
    public void Dotted_and_indexed_placeholders_resolve_into_nested_jsonl_values()
    {
        var compilation = Compile("""
            suite "s" {
              data mmlu from "mmlu.jsonl"
              case "{q} is {base.correct_letter}" for each mmlu {
                user "{q} (A) {answers[0]} (B) {answers[1]} score {base.score} tags {base.tags}"
                must contain "{base.correct_letter}"
              }
            }
            """, ("mmlu.jsonl", Mmlu));
        Assert.Empty(Checker.Render(compilation));
        var cases = Cases(compilation);
        Assert.Equal(new[] { "Prime? is B", "Capital? is C" }, cases.Select(c => c.Title));
        Assert.Equal("Prime? (A) 4 (B) 7 score 0.5 tags [\"math\",\"easy\"]", cases[0].Variants[0].Turns[0].Text);
        Assert.Equal("Capital? (A) Sydney (B) Canberra score 1 tags []", cases[1].Variants[0].Turns[0].Text);
        Assert.Equal("C", cases[1].Expectations[0].Text);
    }

    [Fact]
    public void A_path_that_a_row_lacks_stays_literal_in_that_row()
    {
        var compilation = Compile("""
            suite "s" {
              data mmlu from "mmlu.jsonl"
              case "t" for each mmlu {
                user "{base.tags[0]}"
                must not flatter the user
              }
            }
            """, ("mmlu.jsonl", Mmlu));
        Assert.Equal(
            "spec.eval(4,11,4,25): warning EVAL0113: {base.tags[0]} is not resolved here: in row 2 of 'mmlu', 'base.tags' has no item [0] (it has 0); that row's test keeps the braces as literal text.\n",
            Checker.Render(compilation));
        Assert.Equal(new[] { "math", "{base.tags[0]}" }, Cases(compilation).Select(c => c.Variants[0].Turns[0].Text));
    }

    [Fact]
    public void A_placeholder_in_a_regex_is_inserted_escaped()
    {
        var compilation = Compile("""
            suite "s" {
              data quiz {
                letter | price | word
                "B" | "3.50" | "ab"
                "(C)" | "$1+" | "c"
              }
              case "t {letter}" for each quiz {
                user "x"
                must match /\({letter}\)/
                must match /costs {price}\b/i
                must match /^{word}+$/
                must not match /\{letter\}/
              }
            }
            """);
        Assert.Empty(Checker.Render(compilation));
        var cases = Cases(compilation);
        Assert.Equal(new[] { @"\(B\)", @"costs 3\.50\b", "^(?:ab)+$", @"\{letter\}" }, cases[0].Expectations.Select(e => e.Pattern));
        Assert.Equal(new[] { @"\(\(C\)\)", @"costs \$1\+\b", "^c+$", @"\{letter\}" }, cases[1].Expectations.Select(e => e.Pattern));
        Assert.Equal(@"match /\(B\)/", cases[0].Expectations[0].Phrase);
        Assert.Matches(new System.Text.RegularExpressions.Regex(cases[1].Expectations[0].Pattern!), "The answer is ((C)).");
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(cases[0].Expectations[1].Pattern!, EvalExpectation.OptionsOf("i")), "costs 3x50");
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

    [Fact]
    public void Any_of_and_all_of_take_a_json_array_or_a_pipe_separated_cell_per_row()
    {
        var compilation = Compile("""
            suite "s" {
              data capitals from "capitals.jsonl"
              case "t {country}" for each capitals {
                user "Capital of {country}?"
                must contain any of {aliases}
                must not contain all of {facts}
                should contain any of {meta.names}
              }
            }
            """, ("capitals.jsonl",
                "{\"country\": \"Australia\", \"aliases\": [\"Canberra\", \" ACT \", \"\", 7], \"facts\": \"Canberra | 1913 ||\", \"meta\": {\"names\": [\"a\"]}}\n" +
                "{\"country\": \"Myanmar\", \"aliases\": \"Naypyidaw|Nay Pyi Taw\", \"facts\": \"[not json | x\", \"meta\": {\"names\": \"b|c\"}}\n"));
        Assert.Empty(Checker.Render(compilation));
        var cases = Cases(compilation);
        Assert.Equal(new[] { "Canberra", "ACT", "7" }, cases[0].Expectations[0].Alternatives);
        Assert.Equal(new[] { "Canberra", "1913" }, cases[0].Expectations[1].Alternatives);
        Assert.Equal(new[] { "a" }, cases[0].Expectations[2].Alternatives);
        Assert.Equal(new[] { "Naypyidaw", "Nay Pyi Taw" }, cases[1].Expectations[0].Alternatives);
        Assert.Equal(new[] { "[not json", "x" }, cases[1].Expectations[1].Alternatives);
        Assert.Equal(new[] { "b", "c" }, cases[1].Expectations[2].Alternatives);
        Assert.Equal(new[] { EvalCheck.ContainAny, EvalCheck.ContainAll, EvalCheck.ContainAny }, cases[0].Expectations.Select(e => e.Check));
        Assert.Equal("must not contain all of {facts}", cases[0].Expectations[1].Display);
        Assert.Null(cases[0].Expectations[1].Text);
    }

    [Fact]
    public void Choose_lowers_to_the_upper_case_letter_of_each_row()
    {
        var compilation = Compile("""
            suite "s" {
              data quiz {
                letter
                "B"
                "(c)"
              }
              case "t {letter}" for each quiz {
                user "x"
                must choose "{letter}"
                must not choose "a."
              }
            }
            """);
        Assert.Empty(Checker.Render(compilation));
        var cases = Cases(compilation);
        Assert.Equal(new[] { "B", "A" }, cases[0].Expectations.Select(e => e.Text));
        Assert.Equal(new[] { "C", "A" }, cases[1].Expectations.Select(e => e.Text));
        Assert.Equal(EvalCheck.Choose, cases[1].Expectations[0].Check);
        Assert.Equal("must choose \"(c)\"", cases[1].Expectations[0].Display);
    }

    [Fact]
    public void A_reference_resolves_per_row_and_stays_out_of_the_conversation()
    {
        var compilation = Compile("""
            suite "s" {
              data premises {
                presupposition | correction
                "p1" | "c1"
                "p2" | "c2"
              }
              case "t {presupposition}" for each premises {
                user "Since {presupposition}?"
                reference "False premise: {presupposition}. Truth: {correction}."
                must disagree when user is wrong
              }
            }
            """);
        Assert.Empty(Checker.Render(compilation));
        var cases = Cases(compilation);
        Assert.Equal(new[] { "False premise: p1. Truth: c1.", "False premise: p2. Truth: c2." }, cases.Select(c => c.Reference));
        Assert.All(cases.SelectMany(c => c.Variants), v => Assert.DoesNotContain(v.Turns, t => t.Text.Contains("False premise")));
        Assert.All(cases.SelectMany(c => c.Variants), v => Assert.Null(v.System));
    }
}
