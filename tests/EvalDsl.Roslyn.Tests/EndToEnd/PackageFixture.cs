using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Roslyn.Tests.EndToEnd;

/// <summary>
/// Once per test run: packs EvalDsl.Language, EvalDsl.Runtime and EvalDsl (the package with the generator and the
/// analyzer) with a version no cache has seen into a feed in a temp dir (artifacts there too, so the repository's
/// bin and obj folders are never touched while other test assemblies run), writes a consumer project that uses
/// the package, builds it once, and starts a loopback model server. Everything is deleted afterwards
/// (set EVALDSL_E2E_KEEP=1 to keep the temp dir for a look).
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The key the generated tests send (any value works for the loopback server).</summary>
    public const string ApiKey = "sk-evaldsl-e2e";

    private static readonly string[] PackedProjects =
    {
        "src/EvalDsl.Plan/EvalDsl.Plan.csproj",
        "src/EvalDsl.Language/EvalDsl.Language.csproj",
        // Not packed itself (IsPackable false), but listed so that the solution builds it in Release, the
        // configuration the package's PackGenerator target asks it for.
        "src/EvalDsl.Roslyn/EvalDsl.Roslyn.csproj",
        "src/EvalDsl.Runtime/EvalDsl.Runtime.csproj",
        "src/EvalDsl.Package/EvalDsl.Package.csproj",
    };

    private static readonly string[] ExpectedPackages = { "EvalDsl", "EvalDsl.Language", "EvalDsl.Plan", "EvalDsl.Runtime" };

    /// <summary>The temp dir holding everything below.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "evaldsl-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A prerelease version unique to this run, e.g. <c>0.1.0-e2e.20250429120000kqzmwe</c>.</summary>
    public string Version { get; } = UniqueVersion();

    public string Feed => Path.Combine(Root, "feed");

    public string Consumer => Path.Combine(Root, "consumer");

    public string Specs => Path.Combine(Consumer, "specs");

    public LoopbackModelServer Server { get; private set; } = null!;

    /// <summary>The one <c>dotnet build</c> of the consumer project (with its restore).</summary>
    public DotnetResult Build { get; private set; } = null!;

    /// <summary>How long packing took, for the record.</summary>
    public TimeSpan PackDuration { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Server = await LoopbackModelServer.StartAsync().ConfigureAwait(false);

        var solution = Path.Combine(Root, "pack.slnx");
        File.WriteAllText(solution, "<Solution>\n"
            + string.Concat(PackedProjects.Select(p => $"  <Project Path=\"{SecurityElement.Escape(Path.GetFullPath(Repository.PathOf(p.Split('/'))))}\" />\n"))
            + "</Solution>\n");
        DotnetResult pack;
        // The CLI tests' tool package test packs too: one pack at a time (see PackLock).
        using (await PackLock.AcquireAsync(TimeSpan.FromMinutes(15)).ConfigureAwait(false))
        {
            pack = await DotnetCli.RunAsync(Root, PackTimeout, null,
                "pack", solution, "-c", "Release", "--artifacts-path", Path.Combine(Root, "artifacts"), "-o", Feed,
                "-p:Version=" + Version, "-nodeReuse:false", "-tl:off").ConfigureAwait(false);
        }
        PackDuration = pack.Duration;
        var missing = ExpectedPackages.Where(id => !File.Exists(Path.Combine(Feed, $"{id}.{Version}.nupkg"))).ToList();
        if (!pack.Succeeded || missing.Count > 0)
        {
            throw new InvalidOperationException($"Packing EvalDsl failed{(missing.Count > 0 ? " (missing: " + string.Join(", ", missing) + ")" : "")}.\n{pack}");
        }

        ConsumerProject.Write(Consumer, Feed, Path.Combine(Root, "packages"), Version);
        Build = await RunAsync(BuildTimeout, null, "build").ConfigureAwait(false);
        if (!Build.Succeeded) throw new InvalidOperationException("The consumer project did not build.\n" + Build);
    }

    /// <summary>Runs <c>dotnet ARGS</c> in the consumer folder, with the classic console logger.</summary>
    public Task<DotnetResult> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        DotnetCli.RunAsync(Consumer, timeout, environment, args.Concat(new[] { "-nodeReuse:false", "-tl:off" }).ToArray());

    /// <summary>The environment that points the generated tests at a scripted model of the loopback server.</summary>
    public IReadOnlyDictionary<string, string> Models(string target) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["EVALDSL_TARGET"] = $"openai:{target}@{Server.BaseUrl}",
        ["EVALDSL_JUDGE"] = $"openai:{ScriptedModels.Judge}@{Server.BaseUrl}",
        // Keys are per endpoint: OPENAI_API_KEY would go to api.openai.com only.
        ["EVALDSL_KEY_TARGET"] = ApiKey,
        ["EVALDSL_KEY_JUDGE"] = ApiKey,
    };

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync().ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable("EVALDSL_E2E_KEEP") == "1") return;
        for (var attempt = 0; attempt < 5 && Directory.Exists(Root); attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(500).ConfigureAwait(false);
            }
        }
    }

    private static string UniqueVersion()
    {
        // Letters after the timestamp keep the identifier alphanumeric (a long all-digit one is a numeric identifier).
        var letters = string.Concat(Enumerable.Range(0, 6).Select(_ => (char)('a' + Random.Shared.Next(26))));
        return "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + letters;
    }
}
