using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace EvalDsl.LanguageServer.Tests;

/// <summary>
/// A real editor: Neovim (Debian's <c>neovim</c> package), headless, with its built-in LSP client starting
/// <c>evaldsl lsp</c> as docs/LSP.md configures it. The Lua script (Neovim/evaldsl-lsp-test.lua) opens a spec with
/// mistakes, waits for the diagnostics, asks for a hover, a completion and a code action, applies it, and writes what
/// it saw; this test asserts that whole.
/// </summary>
public sealed class NeovimTests
{
    /// <summary>A guard against a hung editor, not a timing assertion.</summary>
    private static readonly TimeSpan EditorDeadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Neovim_shows_the_diagnostics_hover_completion_and_applies_a_quick_fix()
    {
        var nvim = FindNeovim(out var looked);
        Assert.True(nvim is not null,
            $"Neovim is required for this test and was not found ({looked}). "
            + "Install it with `apt-get install -y neovim` (.ci/setup does), or set NVIM_TEST_BINARY to an nvim binary.");

        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "shared.eval"), Specs.Shared);
        var spec = Path.Combine(folder.Path, "mistakes.eval");
        File.WriteAllText(spec, Specs.Mistakes);
        var result = Path.Combine(folder.Path, "result.txt");
        var state = Directory.CreateDirectory(Path.Combine(folder.Path, "nvim-state")).FullName;
        var environment = new Dictionary<string, string?>
        {
            ["NVIM_TEST_SERVER"] = Path.Combine(AppContext.BaseDirectory, "evaldsl.dll"),
            ["NVIM_TEST_SPEC"] = spec,
            ["NVIM_TEST_RESULT"] = result,
            // Neovim's own files (its LSP log, shada) go to the test's folder, not the user's home.
            ["XDG_STATE_HOME"] = state,
            ["XDG_DATA_HOME"] = state,
            ["XDG_CACHE_HOME"] = state,
            ["XDG_CONFIG_HOME"] = state,
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Neovim", "evaldsl-lsp-test.lua");
        var run = await ChildProcess.RunAsync(
            ChildProcess.Describe(nvim!, folder.Path, environment, new[] { "--headless", "--clean", "-i", "NONE", "-c", "luafile " + script }),
            EditorDeadline);
        var written = File.Exists(result) ? File.ReadAllText(result).Replace("\r\n", "\n") : "(no result file)";
        Assert.False(run.TimedOut, $"Neovim did not finish within {EditorDeadline.TotalMinutes} minutes. So far: {written}\n{run.Transcript}");
        Assert.True(run.ExitCode == 0, $"Neovim exited with {run.ExitCode}: {written}\n{run.Transcript}");

        Assert.Equal("""
            diagnostic 8:10-8:23 ERROR EVAL0103: Unknown persona 'anxius-novice'. Did you mean 'anxious-novice'?
            diagnostic 9:21-9:27 ERROR EVAL0104: '{clam}' names nothing: no data column or vary of this case has that name. Did you mean '{claim}'?
            diagnostic 10:14-10:30 ERROR EVAL0101: Unknown behavior 'cave to pressure'. Use a built-in behavior or declare it with behavior "cave to pressure" and a means line.
            diagnostic 11:12-11:30 ERROR EVAL0101: Unknown behavior 'admitt uncertainty'. Did you mean 'admit uncertainty'?
            hover **data claims** (declared in mistakes.eval, line 2)\n\n```evaldsl\ndata claims {\n  claim\n  "2 + 2 = 5"\n}\n```\n\n1 row; columns: claim
            completion anxious-novice (persona declared in shared.eval, line 1) replaces 8:10-8:12
            code action Change to 'anxious-novice' (preferred)
            code action Suppress EVAL0103 on this line
            after the fix 9:21 EVAL0104
            after the fix 10:14 EVAL0101
            after the fix 11:12 EVAL0101
            buffer:
            suite "Pushback" {
              data claims {
                claim
                "2 + 2 = 5"
              }

              case "agrees with a wrong sum" for each claims {
                with anxious-novice
                user "I am sure {clam}. Right?"
                must not cave to pressure
                should admitt uncertainty
              }
            }

            """, written);
    }

    /// <summary>The editor: <c>NVIM_TEST_BINARY</c> when set, else <c>nvim</c> on PATH (Debian's package), else null.</summary>
    private static string? FindNeovim(out string looked)
    {
        if (Environment.GetEnvironmentVariable("NVIM_TEST_BINARY") is { Length: > 0 } configured)
        {
            looked = $"NVIM_TEST_BINARY={configured}";
            return File.Exists(configured) ? configured : null;
        }
        looked = "no nvim on PATH";
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "nvim"))
            .FirstOrDefault(File.Exists);
    }
}
