using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvalDsl.Testing;

/// <summary>
/// The OpenAI Batch API of the loopback server: <c>POST /v1/files</c> (multipart, purpose <c>batch</c>),
/// <c>GET /v1/files/{id}/content</c>, <c>POST /v1/batches</c> (endpoint <c>/v1/chat/completions</c>, completion
/// window <c>24h</c>) and <c>GET /v1/batches/{id}</c>.
/// </summary>
/// <remarks>
/// A batch is <c>validating</c> when created, <c>in_progress</c> from its first poll, and is run and
/// <c>completed</c> at the poll after <see cref="BatchPollsToComplete"/> polls in progress, unless
/// <see cref="HoldBatches"/> holds it. Running a batch posts each line's body to the server's own
/// <c>/v1/chat/completions</c> (with the key the batch was created with), so every scripted model, latency and
/// injected fault (<see cref="FailNext"/>: the failing-lines mode) applies to batch lines as to direct calls; a line
/// answered 2xx goes to the output file, any other to the error file, as OpenAI does. Lines are run in parallel, so
/// the output file is not in input order. With <see cref="BatchApi"/> off, every batch endpoint answers 404.
/// </remarks>
public sealed partial class LoopbackModelServer
{
    private static readonly HttpClient SelfClient = new(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchJob> _batches = new(StringComparer.Ordinal);
    private readonly List<string> _batchLines = new();
    private int _fileIds;
    private int _batchIds;
    private int _batchRequestIds;
    private int _batchCreations;
    private int _batchPolls;
    private int _batchPollsToComplete = 1;
    private volatile bool _holdBatches;
    private volatile bool _batchApi = true;

    private sealed class BatchJob
    {
        public required string Id { get; init; }
        public required string InputFileId { get; init; }
        public string? ApiKey { get; init; }
        public long CreatedAt { get; init; }
        public string Status { get; set; } = "validating";
        public int Polls { get; set; }
        public int Total { get; set; }
        public int Completed { get; set; }
        public int Failed { get; set; }
        public string? OutputFileId { get; set; }
        public string? ErrorFileId { get; set; }
        public Lazy<Task>? Run { get; set; }
    }

    /// <summary>Whether the batch endpoints exist (default true); when false they answer 404, as a server without the Batch API.</summary>
    public bool BatchApi
    {
        get => _batchApi;
        set => _batchApi = value;
    }

    /// <summary>How many polls a batch answers <c>in_progress</c> before it is run and completed (default 1).</summary>
    public int BatchPollsToComplete
    {
        get => Volatile.Read(ref _batchPollsToComplete);
        set => Volatile.Write(ref _batchPollsToComplete, Math.Max(0, value));
    }

    /// <summary>While true, every batch stays <c>in_progress</c> however often it is polled.</summary>
    public bool HoldBatches
    {
        get => _holdBatches;
        set => _holdBatches = value;
    }

    /// <summary>How many batches were created (<c>POST /v1/batches</c> that succeeded).</summary>
    public int BatchCreations => Volatile.Read(ref _batchCreations);

    /// <summary>How many times a batch was polled (<c>GET /v1/batches/{id}</c>).</summary>
    public int BatchPolls => Volatile.Read(ref _batchPolls);

    /// <summary>The <c>custom_id</c> of every line of every batch created, in order of creation.</summary>
    public IReadOnlyList<string> BatchLines
    {
        get
        {
            lock (_batches) return _batchLines.ToArray();
        }
    }

    /// <summary>The statuses of the batches created so far, by id.</summary>
    public IReadOnlyDictionary<string, string> BatchStatuses
    {
        get
        {
            lock (_batches) return _batches.ToDictionary(b => b.Key, b => b.Value.Status, StringComparer.Ordinal);
        }
    }

    private void MapBatchEndpoints(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/files", HandleUploadAsync);
        app.MapGet("/v1/files/{id}/content", HandleFileContentAsync);
        app.MapPost("/v1/batches", HandleCreateBatchAsync);
        app.MapGet("/v1/batches/{id}", HandleGetBatchAsync);
    }

    // Checks the key and whether the Batch API is on; false when an error was written.
    private async Task<bool> BatchGateAsync(HttpContext context)
    {
        if (!_batchApi)
        {
            await WriteErrorAsync(context, 404, $"Invalid URL ({context.Request.Method} {context.Request.Path})", "invalid_request_error", null, null).ConfigureAwait(false);
            return false;
        }
        if (!Authorized(BearerToken(context.Request)))
        {
            await WriteErrorAsync(context, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null).ConfigureAwait(false);
            return false;
        }
        return true;
    }

    private async Task HandleUploadAsync(HttpContext context)
    {
        if (!await BatchGateAsync(context).ConfigureAwait(false)) return;
        if (!context.Request.HasFormContentType)
        {
            await WriteErrorAsync(context, 400, "The upload must be multipart/form-data with a file and a purpose.", "invalid_request_error", null, null).ConfigureAwait(false);
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var purpose = form["purpose"].ToString();
        var file = form.Files.GetFile("file");
        if (purpose != "batch" || file is null)
        {
            await WriteErrorAsync(context, 400, $"Expected purpose 'batch' and a file, got purpose '{purpose}'{(file is null ? " and no file" : "")}.", "invalid_request_error", null, null).ConfigureAwait(false);
            return;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var id = "file-" + Interlocked.Increment(ref _fileIds).ToString("D6", CultureInfo.InvariantCulture);
        _files[id] = buffer.ToArray();
        await WriteJsonAsync(context, new JsonObject
        {
            ["id"] = id,
            ["object"] = "file",
            ["bytes"] = buffer.Length,
            ["created_at"] = CreatedTimestamp,
            ["filename"] = file.FileName,
            ["purpose"] = "batch",
        }).ConfigureAwait(false);
    }

    private async Task HandleFileContentAsync(HttpContext context)
    {
        if (!await BatchGateAsync(context).ConfigureAwait(false)) return;
        var id = context.Request.RouteValues["id"]?.ToString() ?? "";
        if (!_files.TryGetValue(id, out var bytes))
        {
            await WriteErrorAsync(context, 404, $"No such File object: {id}", "invalid_request_error", null, null).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleCreateBatchAsync(HttpContext context)
    {
        if (!await BatchGateAsync(context).ConfigureAwait(false)) return;
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }
        var input = body?["input_file_id"]?.GetValue<string>();
        var endpoint = body?["endpoint"]?.GetValue<string>();
        var window = body?["completion_window"]?.GetValue<string>();
        if (input is null || !_files.TryGetValue(input, out var file))
        {
            await WriteErrorAsync(context, 400, $"No such input file: {input}", "invalid_request_error", null, null).ConfigureAwait(false);
            return;
        }
        if (endpoint != "/v1/chat/completions" || window != "24h")
        {
            await WriteErrorAsync(context, 400, $"Expected endpoint /v1/chat/completions and completion_window 24h, got {endpoint} and {window}.", "invalid_request_error", null, null).ConfigureAwait(false);
            return;
        }
        var ids = new List<string>();
        foreach (var line in Encoding.UTF8.GetString(file).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                ids.Add(JsonNode.Parse(line)?["custom_id"]?.GetValue<string>() ?? "");
            }
            catch (JsonException)
            {
                ids.Add("");
            }
        }
        BatchJob job;
        lock (_batches)
        {
            job = new BatchJob
            {
                Id = "batch_" + Interlocked.Increment(ref _batchIds).ToString("D6", CultureInfo.InvariantCulture),
                InputFileId = input,
                ApiKey = BearerToken(context.Request),
                CreatedAt = CreatedTimestamp,
                Total = ids.Count,
            };
            _batches[job.Id] = job;
            _batchLines.AddRange(ids);
            _batchCreations++;
        }
        await WriteJsonAsync(context, Describe(job)).ConfigureAwait(false);
    }

    private async Task HandleGetBatchAsync(HttpContext context)
    {
        if (!await BatchGateAsync(context).ConfigureAwait(false)) return;
        var id = context.Request.RouteValues["id"]?.ToString() ?? "";
        BatchJob? job;
        Lazy<Task>? run = null;
        lock (_batches)
        {
            Interlocked.Increment(ref _batchPolls);
            if (_batches.TryGetValue(id, out job))
            {
                if (job.Status == "validating")
                {
                    job.Status = "in_progress";
                }
                else if (job.Status == "in_progress" && !_holdBatches && ++job.Polls >= _batchPollsToComplete)
                {
                    job.Run ??= new Lazy<Task>(() => RunBatchAsync(job));
                    run = job.Run;
                }
            }
        }
        if (job is null)
        {
            await WriteErrorAsync(context, 404, $"No such Batch object: {id}", "invalid_request_error", null, null).ConfigureAwait(false);
            return;
        }
        if (run is not null) await run.Value.ConfigureAwait(false);
        JsonObject described;
        lock (_batches) described = Describe(job);
        await WriteJsonAsync(context, described).ConfigureAwait(false);
    }

    private async Task RunBatchAsync(BatchJob job)
    {
        var lines = Encoding.UTF8.GetString(_files[job.InputFileId]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var output = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (line, ct) =>
        {
            var requestId = "batch_req_" + Interlocked.Increment(ref _batchRequestIds).ToString("D6", CultureInfo.InvariantCulture);
            string? customId = null;
            try
            {
                var node = JsonNode.Parse(line);
                customId = node?["custom_id"]?.GetValue<string>();
                var url = node?["url"]?.GetValue<string>();
                var method = node?["method"]?.GetValue<string>();
                if (customId is null || url != "/v1/chat/completions" || method != "POST" || node?["body"] is not JsonObject body)
                {
                    errors.Enqueue(Line(requestId, customId, null, null, "invalid_request", "A line needs custom_id, method POST, url /v1/chat/completions and a body."));
                    return;
                }
                using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/chat/completions")
                {
                    Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                };
                if (job.ApiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", job.ApiKey);
                using var response = await SelfClient.SendAsync(request, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                JsonNode? parsed;
                try
                {
                    parsed = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    parsed = JsonValue.Create(text);
                }
                var status = (int)response.StatusCode;
                (status is >= 200 and < 300 ? output : errors).Enqueue(Line(requestId, customId, status, parsed, null, null));
            }
            catch (Exception e) when (e is JsonException or HttpRequestException or InvalidOperationException)
            {
                errors.Enqueue(Line(requestId, customId, null, null, "server_error", e.Message));
            }
        }).ConfigureAwait(false);

        string? Store(ConcurrentQueue<string> queue)
        {
            if (queue.IsEmpty) return null;
            var id = "file-" + Interlocked.Increment(ref _fileIds).ToString("D6", CultureInfo.InvariantCulture);
            _files[id] = Encoding.UTF8.GetBytes(string.Concat(queue.Select(l => l + "\n")));
            return id;
        }

        lock (_batches)
        {
            job.OutputFileId = Store(output);
            job.ErrorFileId = Store(errors);
            job.Completed = output.Count;
            job.Failed = errors.Count;
            job.Status = "completed";
        }
    }

    private static string Line(string requestId, string? customId, int? status, JsonNode? body, string? code, string? message) => new JsonObject
    {
        ["id"] = requestId,
        ["custom_id"] = customId,
        ["response"] = status is { } s ? new JsonObject { ["status_code"] = s, ["request_id"] = requestId, ["body"] = body } : null,
        ["error"] = code is null ? null : new JsonObject { ["code"] = code, ["message"] = message },
    }.ToJsonString();

    private static JsonObject Describe(BatchJob job) => new()
    {
        ["id"] = job.Id,
        ["object"] = "batch",
        ["endpoint"] = "/v1/chat/completions",
        ["errors"] = null,
        ["input_file_id"] = job.InputFileId,
        ["completion_window"] = "24h",
        ["status"] = job.Status,
        ["output_file_id"] = job.OutputFileId,
        ["error_file_id"] = job.ErrorFileId,
        ["created_at"] = job.CreatedAt,
        ["request_counts"] = new JsonObject { ["total"] = job.Total, ["completed"] = job.Completed, ["failed"] = job.Failed },
    };

    private static async Task WriteJsonAsync(HttpContext context, JsonObject json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
