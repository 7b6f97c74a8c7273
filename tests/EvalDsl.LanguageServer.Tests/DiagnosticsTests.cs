using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace EvalDsl.LanguageServer.Tests;

/// <summary>initialize, document sync and diagnostics, spoken to the real <c>evaldsl lsp</c> process over stdio.</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public async Task Initialize_announces_incremental_sync_and_shutdown_then_exit_ends_with_0()
    {
        using var folder = new TempFolder();
        await using var client = LspClient.Start(folder.Path);
        var result = await client.InitializeAsync(folder.Path);
        Assert.Equal("""
            {
              "jsonrpc": "2.0",
              "id": 1,
              "result": {
                "capabilities": {
                  "positionEncoding": "utf-16",
                  "textDocumentSync": {
                    "openClose": true,
                    "change": 2,
                    "save": {
                      "includeText": false
                    }
                  },
                  "hoverProvider": true,
                  "completionProvider": {
                    "triggerCharacters": [
                      " ",
                      "{"
                    ]
                  },
                  "definitionProvider": true,
                  "referencesProvider": true,
                  "renameProvider": true,
                  "codeActionProvider": {
                    "codeActionKinds": [
                      "quickfix"
                    ]
                  },
                  "documentSymbolProvider": true,
                  "foldingRangeProvider": true,
                  "semanticTokensProvider": {
                    "legend": {
                      "tokenTypes": [
                        "keyword",
                        "string",
                        "number",
                        "regexp",
                        "comment",
                        "function",
                        "variable",
                        "type",
                        "enumMember",
                        "property"
                      ],
                      "tokenModifiers": []
                    },
                    "full": true
                  },
                  "documentFormattingProvider": true
                },
                "serverInfo": {
                  "name": "evaldsl",
                  "version": "0.1.0"
                }
              }
            }
            """, LspClient.Show(Capabilities(result)));
        Assert.Equal(0, await client.ShutdownAsync());
    }

    [Fact]
    public async Task Open_spec_gets_every_diagnostic_with_code_range_severity_link_and_names_from_a_file_on_disk()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "shared.eval"), Specs.Shared);
        var spec = Path.Combine(folder.Path, "mistakes.eval");
        File.WriteAllText(spec, "");
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        await client.OpenAsync(spec, Specs.Mistakes, version: 1);

        var published = await client.DiagnosticsAsync(spec, 1);
        Assert.Equal($$"""
            {
              "uri": "{{new System.Uri(spec).AbsoluteUri}}",
              "version": 1,
              "diagnostics": [
                {{Diagnostic(7, 9, 7, 22, 1, "EVAL0103", "Unknown persona 'anxius-novice'. Did you mean 'anxious-novice'?")}},
                {{Diagnostic(8, 20, 8, 26, 1, "EVAL0104", "'{clam}' names nothing: no data column or vary of this case has that name. Did you mean '{claim}'?")}},
                {{Diagnostic(9, 13, 9, 29, 1, "EVAL0101", "Unknown behavior 'cave to pressure'. Use a built-in behavior or declare it with behavior \"cave to pressure\" and a means line.")}},
                {{Diagnostic(10, 11, 10, 29, 1, "EVAL0101", "Unknown behavior 'admitt uncertainty'. Did you mean 'admit uncertainty'?")}}
              ]
            }
            """, LspClient.Show(published));
        Assert.Equal(0, await client.ShutdownAsync());
    }

    [Fact]
    public async Task A_diagnostic_that_names_another_place_carries_it_as_related_information_which_follows_edits()
    {
        using var folder = new TempFolder();
        var spec = Path.Combine(folder.Path, "twice.eval");
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        const string Text = "suite \"S\" {\n  case \"twice\" {\n    user \"hi\"\n    must not flatter the user\n    must not flatter the user\n  }\n  case \"twice\" {\n    user \"hi\"\n    must refuse\n  }\n}\n";
        await client.OpenAsync(spec, Text, version: 1);
        var uri = new System.Uri(spec).AbsoluteUri;
        Assert.Equal($$"""
            {
              "uri": "{{uri}}",
              "version": 1,
              "diagnostics": [
                {{Diagnostic(4, 13, 4, 29, 2, "EVAL0206", "'must not flatter the user' repeats 'must not flatter the user' on line 4; remove one of them.", (uri, 3, 13, 3, 29, "The expectation it repeats: 'must not flatter the user'."))}},
                {{Diagnostic(6, 7, 6, 14, 1, "EVAL0102", "Duplicate case 'twice' in this suite; the first is at line 2.", (uri, 1, 7, 1, 14, "The first declaration of 'twice'."))}}
              ]
            }
            """, LspClient.Show(await client.DiagnosticsAsync(spec, 1)));

        // A new line inside the first case (re-parsed alone): the second case and both related places move with it.
        await client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = 2 },
            ["contentChanges"] = new JsonArray(Change(2, 13, 2, 13, "\n    user \"again\"")),
        });
        var second = await client.DiagnosticsAsync(spec, 2);
        Assert.Equal("""
            [
              "EVAL0206 (5,13)-(5,29) warning: 'must not flatter the user' repeats 'must not flatter the user' on line 5; remove one of them. [related (4,13)-(4,29): The expectation it repeats: 'must not flatter the user'.]",
              "EVAL0102 (7,7)-(7,14): Duplicate case 'twice' in this suite; the first is at line 2. [related (1,7)-(1,14): The first declaration of 'twice'.]"
            ]
            """, Lines(second));
        Assert.Equal(0, await client.ShutdownAsync());
    }

    [Fact]
    public async Task Incremental_changes_are_applied_in_utf16_units_and_diagnostics_follow_each_version()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "shared.eval"), Specs.Shared);
        var spec = Path.Combine(folder.Path, "mistakes.eval");
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        // A non-BMP character (two UTF-16 units) before the typo: the range after it counts units, not characters.
        await client.OpenAsync(spec, Specs.Mistakes.Replace("I am sure", "😀 I am sure"), version: 1);
        var first = await client.DiagnosticsAsync(spec, 1);
        Assert.Equal("""{"start":{"line":8,"character":23},"end":{"line":8,"character":29}}""", first["diagnostics"]![1]!["range"]!.ToJsonString());

        // Fix the persona (insert the missing "o") and the placeholder (replace "clam" with "claim"), as two changes.
        await client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = new System.Uri(spec).AbsoluteUri, ["version"] = 2 },
            ["contentChanges"] = new JsonArray(
                Change(7, 13, 7, 13, "o"),
                Change(8, 24, 8, 28, "claim")),
        });
        var second = await client.DiagnosticsAsync(spec, 2);
        Assert.Equal("""
            [
              "EVAL0101 (9,13)-(9,29): Unknown behavior 'cave to pressure'. Use a built-in behavior or declare it with behavior \"cave to pressure\" and a means line.",
              "EVAL0101 (10,11)-(10,29): Unknown behavior 'admitt uncertainty'. Did you mean 'admit uncertainty'?"
            ]
            """, Lines(second));

        // Replace the whole text (a change without a range).
        await client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = new System.Uri(spec).AbsoluteUri, ["version"] = 3 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = "suite \"S\" {\n  case \"c\" {\n    user \"hi\"\n    must refuse\n  }\n}\n" }),
        });
        Assert.Equal("[]", Lines(await client.DiagnosticsAsync(spec, 3)));
        Assert.Equal(0, await client.ShutdownAsync());
    }

    [Fact]
    public async Task Editorconfig_severities_and_in_file_suppressions_are_honoured()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "shared.eval"), Specs.Shared);
        // EVAL0104 (unknown placeholder) is made a warning; EVAL0101 is suppressed on one line by a comment.
        File.WriteAllText(Path.Combine(folder.Path, ".editorconfig"), "root = true\n\n[*.eval]\ndotnet_diagnostic.EVAL0104.severity = warning\n");
        var spec = Path.Combine(folder.Path, "mistakes.eval");
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        await client.OpenAsync(spec, Specs.Mistakes.Replace("    must not cave", "    # evaldsl-disable-next-line EVAL0101\n    must not cave"), version: 1);
        Assert.Equal("""
            [
              "EVAL0103 (7,9)-(7,22): Unknown persona 'anxius-novice'. Did you mean 'anxious-novice'?",
              "EVAL0104 (8,20)-(8,26) warning: '{clam}' names nothing: no data column or vary of this case has that name. Did you mean '{claim}'?",
              "EVAL0101 (11,11)-(11,29): Unknown behavior 'admitt uncertainty'. Did you mean 'admit uncertainty'?"
            ]
            """, Lines(await client.DiagnosticsAsync(spec, 1)));
        Assert.Equal(0, await client.ShutdownAsync());
    }

    [Fact]
    public async Task A_spec_on_disk_that_nobody_opened_gets_its_diagnostics_too_and_exit_without_shutdown_is_1()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "nested"));
        var disk = Path.Combine(folder.Path, "nested", "closed.eval");
        File.WriteAllText(disk, "suite \"S\" {\n  case \"c\" {\n    with nobody\n    user \"hi\"\n    must refuse\n  }\n}\n");
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        var published = await client.DiagnosticsAsync(disk);
        Assert.Equal("""
            [
              "EVAL0103 (2,9)-(2,15): Unknown persona 'nobody'; declare it at the top level or in this suite."
            ]
            """, Lines(published));
        Assert.Null(published["version"]);
        await client.NotifyAsync("exit", null);
        await Deadline.UntilAsync(() => client.HasExited, LspClient.StepDeadline, "evaldsl lsp to exit");
        Assert.Equal(1, client.ExitCode);
    }

    [Fact]
    public async Task Closing_a_document_goes_back_to_its_disk_content_and_an_unknown_method_is_an_error_not_a_crash()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "shared.eval"), Specs.Shared);
        var spec = Path.Combine(folder.Path, "mistakes.eval");
        File.WriteAllText(spec, Specs.Mistakes.Replace("anxius-novice", "anxious-novice"));
        await using var client = LspClient.Start(folder.Path);
        await client.InitializeAsync(folder.Path);
        await client.OpenAsync(spec, Specs.Mistakes, version: 1);
        Assert.Equal(4, (await client.DiagnosticsAsync(spec, 1))["diagnostics"]!.AsArray().Count);

        await client.NotifyAsync("textDocument/didClose", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = new System.Uri(spec).AbsoluteUri } });
        // Unversioned now: the disk's text, where the persona is spelt right.
        var closed = await client.DiagnosticsAsync(spec, p => p["version"] is null);
        Assert.Equal("""
            [
              "EVAL0104 (8,20)-(8,26): '{clam}' names nothing: no data column or vary of this case has that name. Did you mean '{claim}'?",
              "EVAL0101 (9,13)-(9,29): Unknown behavior 'cave to pressure'. Use a built-in behavior or declare it with behavior \"cave to pressure\" and a means line.",
              "EVAL0101 (10,11)-(10,29): Unknown behavior 'admitt uncertainty'. Did you mean 'admit uncertainty'?"
            ]
            """, Lines(closed));

        var unknown = await client.RequestAsync("textDocument/signatureHelp", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = new System.Uri(spec).AbsoluteUri },
            ["position"] = new JsonObject { ["line"] = 0, ["character"] = 0 },
        });
        Assert.Equal(-32601, (int)unknown["error"]!["code"]!);
        Assert.Equal(0, await client.ShutdownAsync());
    }

    private static JsonObject Capabilities(JsonObject response) => response;

    private static string Diagnostic(int line, int character, int endLine, int endCharacter, int severity, string code, string message,
        (string Uri, int Line, int Character, int EndLine, int EndCharacter, string Message)? related = null)
    {
        var node = new JsonObject
        {
            ["range"] = new JsonObject
            {
                ["start"] = new JsonObject { ["line"] = line, ["character"] = character },
                ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
            },
            ["severity"] = severity,
            ["code"] = code,
            ["codeDescription"] = new JsonObject { ["href"] = $"https://github.com/evaldsl/evaldsl/blob/main/docs/diagnostics/{code}.md" },
            ["source"] = "evaldsl",
            ["message"] = message,
        };
        if (related is { } r)
        {
            node["relatedInformation"] = new JsonArray(new JsonObject
            {
                ["location"] = new JsonObject
                {
                    ["uri"] = r.Uri,
                    ["range"] = new JsonObject
                    {
                        ["start"] = new JsonObject { ["line"] = r.Line, ["character"] = r.Character },
                        ["end"] = new JsonObject { ["line"] = r.EndLine, ["character"] = r.EndCharacter },
                    },
                },
                ["message"] = r.Message,
            });
        }
        return LspClient.Show(node).Replace("\n", "\n    ");
    }

    private static JsonObject Change(int line, int character, int endLine, int endCharacter, string text) => new()
    {
        ["range"] = new JsonObject
        {
            ["start"] = new JsonObject { ["line"] = line, ["character"] = character },
            ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
        },
        ["text"] = text,
    };

    /// <summary>One line per diagnostic: code, 0-based range, severity when not an error, message.</summary>
    internal static string Lines(JsonObject published)
    {
        var lines = new JsonArray();
        foreach (var d in published["diagnostics"]!.AsArray())
        {
            var r = d!["range"]!;
            var severity = (int)d["severity"]! switch { 1 => "", 2 => " warning", 3 => " info", _ => " hint" };
            var related = "";
            foreach (var info in d["relatedInformation"]?.AsArray() ?? new JsonArray())
            {
                var at = info!["location"]!["range"]!;
                related += $" [related ({at["start"]!["line"]},{at["start"]!["character"]})-({at["end"]!["line"]},{at["end"]!["character"]}): {info["message"]}]";
            }
            lines.Add($"{d["code"]} ({r["start"]!["line"]},{r["start"]!["character"]})-({r["end"]!["line"]},{r["end"]!["character"]}){severity}: {d["message"]}{related}");
        }
        return LspClient.Show(lines);
    }
}
