using System.Threading.Tasks;

namespace EvalDsl.Testing.Tests;

/// <summary>One server shared by the tests of a class that inject no faults and register nothing.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private LoopbackModelServer? _server;

    public LoopbackModelServer Server => _server!;

    public async Task InitializeAsync() => _server = await LoopbackModelServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
