using System;
using System.Threading.Tasks;
using EvalDsl.Testing;

// Starts the loopback server answering every request after LATENCY_MS (default 50), prints its base URL on
// the first line, and runs until stdin closes.
var latency = int.TryParse(args.Length > 0 ? args[0] : null, out var ms) ? ms : 50;
await using var server = await LoopbackModelServer.StartAsync();
server.Latency = TimeSpan.FromMilliseconds(latency);
// An optional second argument K: the server answers at most K requests at once, 429 above (a provider's limit).
if (args.Length > 1 && int.TryParse(args[1], out var limit)) server.ConcurrencyLimit = limit;
Console.WriteLine(server.BaseUrl);
Console.Out.Flush();
await Console.In.ReadToEndAsync();
Console.Error.WriteLine($"served {server.CallCount} requests, at most {server.MaxConcurrent} at once");
if (server.ConcurrencyLimit is not null) Console.WriteLine($"served {server.CallCount} requests, refused {server.ThrottledCount} with 429");
