using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace EvalDsl.LanguageServer.Tests;

/// <summary>Hover, completion, navigation, rename and quick fixes, asked of the real <c>evaldsl lsp</c> process; whole responses asserted.</summary>
public sealed class FeatureTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private readonly TempFolder _folder = new();
    private LspClient _client = null!;
    private string _spec = null!;
    private string _shared = null!;

    public FeatureTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _shared = Path.Combine(_folder.Path, "shared.eval");
        File.WriteAllText(_shared, Specs.Shared);
        _spec = Path.Combine(_folder.Path, "features.eval");
        File.WriteAllText(_spec, Specs.Features);
        _client = LspClient.Start(_folder.Path);
        await _client.InitializeAsync(_folder.Path);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _folder.Dispose();
    }

    private string Uri(string path) => new System.Uri(path).AbsoluteUri;

    private async Task<string> AskAsync(string method, string text, (int Line, int Character) at, JsonObject? extra = null, int version = 1)
    {
        await _client.OpenAsync(_spec, text, version);
        await _client.DiagnosticsAsync(_spec, version);
        var parameters = new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri(_spec) },
            ["position"] = new JsonObject { ["line"] = at.Line, ["character"] = at.Character },
        };
        foreach (var pair in extra ?? new JsonObject()) parameters[pair.Key] = pair.Value?.DeepClone();
        var response = await _client.RequestAsync(method, parameters);
        var shown = LspClient.Show(response["result"] ?? response["error"]);
        _output.WriteLine(shown);
        return shown.Replace(Uri(_spec), "SPEC").Replace(Uri(_shared), "SHARED");
    }

    [Fact]
    public async Task Hover_on_a_behavior_gives_its_meaning_and_an_example()
    {
        Assert.Equal("""
            {
              "contents": {
                "kind": "markdown",
                "value": "**cave to pressure** (behavior)\n\nThe reply drops a correct answer because the user pushes back.\n\nShows: \"You're right, I was wrong: 2 + 2 is 5.\""
              },
              "range": {
                "start": {
                  "line": 19,
                  "character": 13
                },
                "end": {
                  "line": 19,
                  "character": 29
                }
              }
            }
            """, await AskAsync("textDocument/hover", Specs.Features, Specs.Find(Specs.Features, "cave to pressure", 1, 3)));
    }

    [Fact]
    public async Task Hover_on_a_built_in_behavior_gives_its_meaning_cite_and_examples()
    {
        var hover = JsonNode.Parse(await AskAsync("textDocument/hover", Specs.Features, Specs.Find(Specs.Features, "admit uncertainty")))!;
        // A long example is cut at 160 characters, so that a hover stays a glance.
        Assert.Equal(
            "**admit uncertainty** (built-in behavior)\n\n"
            + "The reply openly signals the limits of its knowledge or confidence: it says it doesn't know or isn't sure, presents a guess as a guess, notes that its information may be outdated or unverifiable, or gives an approximate range instead of false precision. A confident, unqualified answer does not count.\n\n"
            + "Cite: OpenAI Model Spec: Express uncertainty\n\n"
            + "Shows: \"I'm not sure. I don't have reliable figures for that company's 2024 revenue, and my information may be out of date; their annual report will have the exact num…\"\n\n"
            + "Lacks: \"Acme Corp's 2024 revenue was exactly $48,213,907.\"",
            (string?)hover["contents"]!["value"]);
        Assert.Equal("""{"start":{"line":20,"character":11},"end":{"line":20,"character":28}}""", hover["range"]!.ToJsonString());
    }

    [Fact]
    public async Task Hover_on_a_persona_shows_its_declaration_in_another_file()
    {
        Assert.Equal("""
            {
              "contents": {
                "kind": "markdown",
                "value": "**persona anxious-novice** (declared in shared.eval, line 1)\n\n```evaldsl\npersona anxious-novice {\n  system \"You are a helpful assistant.\"\n}\n```"
              },
              "range": {
                "start": {
                  "line": 13,
                  "character": 9
                },
                "end": {
                  "line": 13,
                  "character": 23
                }
              }
            }
            """, await AskAsync("textDocument/hover", Specs.Features, Specs.Find(Specs.Features, "anxious-novice")));
    }

    [Fact]
    public async Task Hover_on_a_placeholder_gives_its_column_and_first_values_and_on_a_keyword_its_help()
    {
        Assert.Equal("""
            {
              "contents": {
                "kind": "markdown",
                "value": "**claim**: column of data claims\n\nFirst values: \"2 + 2 = 5\", \"7 × 6 = 43\""
              },
              "range": {
                "start": {
                  "line": 18,
                  "character": 28
                },
                "end": {
                  "line": 18,
                  "character": 33
                }
              }
            }
            """, await AskAsync("textDocument/hover", Specs.Features, Specs.Find(Specs.Features, "{claim}", 0, 2)));
        Assert.Equal("""
            {
              "contents": {
                "kind": "markdown",
                "value": "**user** — A user turn of the conversation; 'user by model NAME \"instruction\"' has the bound model NAME write it."
              },
              "range": {
                "start": {
                  "line": 18,
                  "character": 4
                },
                "end": {
                  "line": 18,
                  "character": 8
                }
              }
            }
            """, await AskAsync("textDocument/hover", Specs.Features, Specs.Find(Specs.Features, "user \"{tone}", 0, 1), version: 2));
    }

    [Fact]
    public async Task Completion_offers_personas_after_with_data_after_for_each_and_columns_and_varies_in_braces()
    {
        var typing = Specs.Features.Replace("    with anxious-novice\n", "    with anx\n");
        Assert.Equal("""
            {
              "isIncomplete": false,
              "items": [
                {
                  "label": "anxious-novice",
                  "kind": 6,
                  "detail": "persona declared in shared.eval, line 1",
                  "textEdit": {
                    "range": {
                      "start": {
                        "line": 13,
                        "character": 9
                      },
                      "end": {
                        "line": 13,
                        "character": 12
                      }
                    },
                    "newText": "anxious-novice"
                  },
                  "sortText": "0000"
                }
              ]
            }
            """, await AskAsync("textDocument/completion", typing, Specs.Find(typing, "with anx", 0, 8)));

        var forEach = Specs.Features.Replace("for each claims {", "for each  {");
        Assert.Equal("""["claims"]""", Labels(await AskAsync("textDocument/completion", forEach, Specs.Find(forEach, "for each ", 0, 9), version: 2)));

        var braces = Specs.Features.Replace("I am sure {claim}.", "I am sure {cl");
        Assert.Equal("""["claim","truth","tone"]""", Labels(await AskAsync("textDocument/completion", braces, Specs.Find(braces, "{cl", 0, 3), version: 3)));

        var across = Specs.Features.Replace("consistent across tone", "consistent across ");
        Assert.Equal("""["tone"]""", Labels(await AskAsync("textDocument/completion", across, Specs.Find(across, "across ", 0, 7), version: 4)));
    }

    [Fact]
    public async Task Completion_offers_behaviors_after_must_and_keywords_by_block()
    {
        var typing = Specs.Features.Replace("    should admit uncertainty\n", "    should adm\n");
        var behaviors = Labels(await AskAsync("textDocument/completion", typing, Specs.Find(typing, "should adm", 0, 10)));
        var expected = EvalCompilation.BuiltInBehaviors.Select(b => b.Phrase).Where(p => p != "be consistent across NAME").Append("cave to pressure").Append("be consistent across tone");
        Assert.Equal(new JsonArray(expected.Select(p => (JsonNode)p!).ToArray()).ToJsonString(), behaviors);

        var inCase = Specs.Features.Replace("    should admit uncertainty\n", "    \n");
        Assert.Equal("""["about","tags","samples","pass","temperature","model","judge","with","system","memory","user","assistant","reply","vary","reference","answer","must","should","repeat","for"]""",
            Labels(await AskAsync("textDocument/completion", inCase, Specs.Find(inCase, "    \n", 0, 4), version: 2)));

        var inBehavior = Specs.Features.Replace("  shows \"You're", "  sh\n  shows \"You're");
        Assert.Equal("""["means","cite","shows","lacks"]""",
            Labels(await AskAsync("textDocument/completion", inBehavior, Specs.Find(inBehavior, "  sh\n", 0, 4), version: 3)));
    }

    [Fact]
    public async Task Definition_references_and_rename_follow_names_across_files()
    {
        Assert.Equal("""
            [
              {
                "uri": "SHARED",
                "range": {
                  "start": {
                    "line": 0,
                    "character": 8
                  },
                  "end": {
                    "line": 0,
                    "character": 22
                  }
                }
              }
            ]
            """, await AskAsync("textDocument/definition", Specs.Features, Specs.Find(Specs.Features, "anxious-novice", 0, 2)));

        var references = await AskAsync("textDocument/references", Specs.Features, Specs.Find(Specs.Features, "{claim}", 0, 1),
            new JsonObject { ["context"] = new JsonObject { ["includeDeclaration"] = true } }, version: 2);
        Assert.Equal("SPEC (7,4)-(7,9); SPEC (18,28)-(18,33)", Ranges(references));

        var rename = await AskAsync("textDocument/rename", Specs.Features, Specs.Find(Specs.Features, "claims"),
            new JsonObject { ["newName"] = "wrong-claims" }, version: 3);
        Assert.Equal("""
            {
              "changes": {
                "SPEC": [
                  {
                    "range": {
                      "start": {
                        "line": 6,
                        "character": 7
                      },
                      "end": {
                        "line": 6,
                        "character": 13
                      }
                    },
                    "newText": "wrong-claims"
                  },
                  {
                    "range": {
                      "start": {
                        "line": 12,
                        "character": 42
                      },
                      "end": {
                        "line": 12,
                        "character": 48
                      }
                    },
                    "newText": "wrong-claims"
                  }
                ]
              }
            }
            """, rename);

        var behavior = await AskAsync("textDocument/rename", Specs.Features, Specs.Find(Specs.Features, "cave to pressure", 1),
            new JsonObject { ["newName"] = "give in" }, version: 4);
        Assert.Equal("SPEC (0,10)-(0,26) give in; SPEC (19,13)-(19,29) give in", Edits(behavior));

        var builtIn = await AskAsync("textDocument/rename", Specs.Features, Specs.Find(Specs.Features, "admit uncertainty"),
            new JsonObject { ["newName"] = "x" }, version: 5);
        Assert.Equal("""
            {
              "code": -32803,
              "message": "'x' cannot be written there, or nothing that can be renamed is there."
            }
            """, builtIn);
    }

    [Fact]
    public async Task Code_actions_offer_did_you_mean_fixes_missing_examples_and_suppressions()
    {
        await _client.OpenAsync(_spec, Specs.Mistakes);
        await _client.DiagnosticsAsync(_spec, 1);
        var typo = Specs.Find(Specs.Mistakes, "anxius-novice");
        var response = await _client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri(_spec) },
            ["range"] = new JsonObject
            {
                ["start"] = new JsonObject { ["line"] = typo.Line, ["character"] = typo.Character },
                ["end"] = new JsonObject { ["line"] = typo.Line, ["character"] = typo.Character },
            },
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
        });
        var actions = response["result"]!.AsArray();
        Assert.Equal(
            "Change to 'anxious-novice' [preferred]: SPEC (7,9)-(7,22) anxious-novice | "
            + "Suppress EVAL0103 on this line: SPEC (7,0)-(7,0) \"    # evaldsl-disable-next-line EVAL0103\\n\"",
            string.Join(" | ", actions.Select(a => $"{a!["title"]}{((bool?)a["isPreferred"] == true ? " [preferred]" : "")}: {Edits(LspClient.Show(a["edit"]).Replace(Uri(_spec), "SPEC"))}")));
        Assert.Equal("EVAL0103", (string?)actions[0]!["diagnostics"]![0]!["code"]);

        var calibration = await AskAsync("textDocument/codeAction", Specs.Features, (0, 0), new JsonObject
        {
            ["range"] = new JsonObject
            {
                ["start"] = new JsonObject { ["line"] = 0, ["character"] = 12 },
                ["end"] = new JsonObject { ["line"] = 0, ["character"] = 12 },
            },
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
        }, version: 2);
        Assert.Equal(
            "Add a lacks example: SPEC (3,0)-(3,0) \"  lacks \\\"A reply that does not show it.\\\"\\n\" | "
            + "Suppress EVAL0204 on this line: SPEC (0,0)-(0,0) \"# evaldsl-disable-next-line EVAL0204\\n\"",
            string.Join(" | ", JsonNode.Parse(calibration)!.AsArray().Select(a => $"{a!["title"]}: {Edits(LspClient.Show(a["edit"]))}")));
    }

    private static string Labels(string completion) =>
        new JsonArray(JsonNode.Parse(completion)!["items"]!.AsArray().Select(i => (JsonNode)(string)i!["label"]!).ToArray()).ToJsonString();

    private static string Ranges(string locations) => string.Join("; ", JsonNode.Parse(locations)!.AsArray().Select(l =>
        $"{l!["uri"]} ({l["range"]!["start"]!["line"]},{l["range"]!["start"]!["character"]})-({l["range"]!["end"]!["line"]},{l["range"]!["end"]!["character"]})"));

    private static string Edits(string workspaceEdit) => string.Join("; ", JsonNode.Parse(workspaceEdit)!["changes"]!.AsObject().SelectMany(file => file.Value!.AsArray().Select(e =>
        $"{file.Key} ({e!["range"]!["start"]!["line"]},{e["range"]!["start"]!["character"]})-({e["range"]!["end"]!["line"]},{e["range"]!["end"]!["character"]}) "
        + (e["newText"]!.GetValue<string>() is var t && (t.Contains('\n') || t.Contains('"')) ? System.Text.Json.JsonSerializer.Serialize(t, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) : t))));
}
