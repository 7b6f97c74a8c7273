using System.Linq;

namespace EvalDsl.Tests;

/// <summary>
/// A diagnostic whose message names another place carries it as a related location (published as LSP related
/// information and SARIF related locations): a duplicate's first declaration, the earlier expectation a later one
/// repeats or contradicts, the first of a setting given twice.
/// </summary>
public sealed class RelatedLocationTests
{
    [Fact]
    public void Duplicates_repeats_contradictions_and_settings_given_twice_name_the_first_place()
    {
        const string Text = """
            persona p {
              system "a"
            }
            persona p {
              system "b"
            }
            suite "S" {
              case "c" {
                samples 2
                samples 3
                user "hi"
                must flatter the user
                must not flatter the user
                must not flatter the user
              }
            }
            """;
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("r.eval", Text) });
        var shown = compilation.Diagnostics.Where(d => d.RelatedLocations.Count > 0)
            .Select(d => $"{d.Id} {d.Location.Line},{d.Location.Column} -> " + string.Join("; ", d.RelatedLocations.Select(r => $"{r.Location.Path}({r.Location.Line},{r.Location.Column})-({r.Location.EndLine},{r.Location.EndColumn}): {r.Message}")));
        Assert.Equal(new[]
        {
            "EVAL0102 4,9 -> r.eval(1,9)-(1,10): The first declaration of 'p'.",
            "EVAL0111 10,5 -> r.eval(9,13)-(9,14): The first 'samples' of this case.",
            "EVAL0201 13,14 -> r.eval(12,10)-(12,26): The expectation it contradicts: 'must flatter the user'.",
            "EVAL0201 14,14 -> r.eval(12,10)-(12,26): The expectation it contradicts: 'must flatter the user'.",
            "EVAL0206 14,14 -> r.eval(13,14)-(13,30): The expectation it repeats: 'must not flatter the user'.",
        }, shown);
    }
}
