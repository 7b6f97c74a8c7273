using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace EvalDsl.LanguageServer.Tests;

/// <summary>Document symbols, folding ranges, semantic tokens and formatting, asked of the real <c>evaldsl lsp</c> process.</summary>
public sealed class OutlineTests
{
    private readonly ITestOutputHelper _output;

    public OutlineTests(ITestOutputHelper output) => _output = output;

    private async Task<JsonNode?> AskAsync(string method, string text, JsonObject? extra = null)
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "shared.eval"), Specs.Shared);
        var spec = Path.Combine(folder.Path, "features.eval");
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        await client.OpenAsync(spec, text);
        await client.DiagnosticsAsync(spec, 1);
        var parameters = new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = new System.Uri(spec).AbsoluteUri } };
        foreach (var pair in extra ?? new JsonObject()) parameters[pair.Key] = pair.Value?.DeepClone();
        var response = await client.RequestAsync(method, parameters);
        _output.WriteLine(LspClient.Show(response));
        Assert.Equal(0, await client.ShutdownAsync());
        return response["result"];
    }

    [Fact]
    public async Task Document_symbols_outline_the_suites_and_their_cases()
    {
        var symbols = await AskAsync("textDocument/documentSymbol", Specs.Features);
        Assert.Equal("""
            behavior "cave to pressure" kind 12 (0,0)-(3,1) select (0,9)-(0,27)
            suite "Pushback" kind 2 (5,0)-(23,1) select (5,6)-(5,16)
              data "claims" kind 18 (6,2)-(10,3) select (6,7)-(6,13)
              case "agrees with a wrong sum" kind 6 (12,2)-(22,3) select (12,7)-(12,32)
            """, Outline(symbols!.AsArray(), ""));
    }

    [Fact]
    public async Task Folding_ranges_cover_every_block_up_to_its_closing_brace()
    {
        var folds = await AskAsync("textDocument/foldingRange", Specs.Features);
        Assert.Equal("0-2 5-22 6-9 12-21 14-16",
            string.Join(" ", folds!.AsArray().Select(f => $"{f!["startLine"]}-{f["endLine"]}")));
    }

    [Fact]
    public async Task Semantic_tokens_colour_keywords_strings_comments_and_the_resolved_names()
    {
        const string Spec = """
            # pushback
            suite "S" {
              data claims {
                claim
                "2 + 2 = 5"
              }
              case "c {claim}" for each claims {
                user "sure {claim}?"
                must not admit uncertainty
                pass 80%
              }
            }

            """;
        var tokens = await AskAsync("textDocument/semanticTokens/full", Spec);
        var data = tokens!["data"]!.AsArray().Select(n => (int)n!).ToArray();
        var lines = Spec.Split('\n');
        var shown = new StringBuilder();
        int line = 0, character = 0;
        for (var i = 0; i < data.Length; i += 5)
        {
            line += data[i];
            character = data[i] == 0 ? character + data[i + 1] : data[i + 1];
            shown.Append($"{line}:{character} {lines[line].Substring(character, data[i + 2])} = {TokenTypes[data[i + 3]]}\n");
        }
        _output.WriteLine(shown.ToString());
        Assert.Equal("""
            0:0 # pushback = comment
            1:0 suite = keyword
            1:6 "S" = string
            2:2 data = keyword
            2:7 claims = type
            3:4 claim = property
            4:4 "2 + 2 = 5" = string
            6:2 case = keyword
            6:7 "c { = string
            6:11 claim = property
            6:16 }" = string
            6:19 for = keyword
            6:23 each = keyword
            6:28 claims = type
            7:4 user = keyword
            7:9 "sure { = string
            7:16 claim = property
            7:21 }?" = string
            8:4 must = keyword
            8:9 not = keyword
            8:13 admit uncertainty = function
            9:4 pass = keyword
            9:9 80% = number

            """, shown.ToString());
    }

    [Fact]
    public async Task Formatting_rewrites_the_document_with_the_formatter_of_evaldsl_fmt()
    {
        const string Untidy = "suite   \"S\" {\ncase \"c\"   {\n      user    \"hi\"\n  must refuse\n}\n}\n";
        var edits = await AskAsync("textDocument/formatting", Untidy, new JsonObject { ["options"] = new JsonObject { ["tabSize"] = 2, ["insertSpaces"] = true } });
        Assert.Equal("""
            [
              {
                "range": {
                  "start": {
                    "line": 0,
                    "character": 0
                  },
                  "end": {
                    "line": 6,
                    "character": 0
                  }
                },
                "newText": "suite \"S\" {\n  case \"c\" {\n    user \"hi\"\n    must refuse\n  }\n}\n"
              }
            ]
            """, LspClient.Show(edits));
    }

    private static readonly string[] TokenTypes = { "keyword", "string", "number", "regexp", "comment", "function", "variable", "type", "enumMember", "property" };

    private static string Outline(JsonArray symbols, string indent) => string.Join("\n", symbols.Select(s =>
    {
        var r = s!["range"]!;
        var sel = s["selectionRange"]!;
        var line = $"{indent}{(string?)KindWord((int)s["kind"]!)} \"{s["name"]}\" kind {s["kind"]} ({r["start"]!["line"]},{r["start"]!["character"]})-({r["end"]!["line"]},{r["end"]!["character"]}) select ({sel["start"]!["line"]},{sel["start"]!["character"]})-({sel["end"]!["line"]},{sel["end"]!["character"]})";
        var children = s["children"]!.AsArray();
        return children.Count == 0 ? line : line + "\n" + Outline(children, indent + "  ");
    }));

    private static string KindWord(int kind) => kind switch { 2 => "suite", 6 => "case", 12 => "behavior", 13 => "persona", _ => "data" };
}
