using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Runtime.Models.Batch;

/// <summary>Where a binding's batches go: the server's base URL (…/v1), the model, the binding's key (or none) and headers.</summary>
internal sealed record BatchEndpoint(Uri BaseUrl, string Model, string? Key, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>What a poll of a batch says.</summary>
internal sealed record BatchState(string Id, string Status, string? OutputFileId, string? ErrorFileId, int Total, int Completed, int Failed, string? Error)
{
    /// <summary>The batch will not change any more.</summary>
    public bool Ended => Status is "completed" or "failed" or "expired" or "cancelled";
}

/// <summary>
/// The OpenAI Batch API over HTTP: upload a JSONL file (<c>POST /files</c>, purpose <c>batch</c>), create a batch
/// (<c>POST /batches</c>), poll it (<c>GET /batches/{id}</c>) and download its output and error files
/// (<c>GET /files/{id}/content</c>). A transient failure (429, 5xx, a lost connection) is retried with backoff; a
/// server without the Batch API (404 on the upload or the creation) or a refused key stops the run.
/// </summary>
internal sealed class BatchApi
{
    private readonly HttpClient _http;
    private readonly BatchEndpoint _endpoint;
    private readonly ModelBinding _binding;
    private readonly RunOptions _options;
    private readonly TimeProvider _time;

    public BatchApi(ModelBinding binding, BatchEndpoint endpoint, RunOptions options, TimeProvider time)
    {
        _binding = binding;
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private Uri Url(string path) => new(_endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path);

    /// <summary>Uploads the lines as a batch input file; returns its id.</summary>
    public async Task<string> UploadAsync(byte[] jsonl, CancellationToken cancellationToken)
    {
        using var json = await SendAsync(() =>
        {
            var form = new MultipartFormDataContent();
            form.Add(new StringContent("batch"), "purpose");
            var file = new ByteArrayContent(jsonl);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
            form.Add(file, "file", "evaldsl-batch.jsonl");
            return new HttpRequestMessage(HttpMethod.Post, Url("files")) { Content = form };
        }, "POST files", unsupportedOn404: true, cancellationToken).ConfigureAwait(false);
        return Id(json, "the upload");
    }

    /// <summary>Creates a batch of the uploaded file over <c>/v1/chat/completions</c>, window 24h; returns its id.</summary>
    public async Task<string> CreateAsync(string fileId, CancellationToken cancellationToken)
    {
        var body = RuntimeJson.Strings(new Dictionary<string, string>
        {
            ["input_file_id"] = fileId,
            ["endpoint"] = "/v1/chat/completions",
            ["completion_window"] = "24h",
        });
        using var json = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url("batches")) { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            "POST batches", unsupportedOn404: true, cancellationToken).ConfigureAwait(false);
        return Id(json, "the batch creation");
    }

    /// <summary>Polls the batch.</summary>
    public async Task<BatchState> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        using var json = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("batches/" + Uri.EscapeDataString(batchId))),
            "GET batches/" + batchId, unsupportedOn404: false, cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int Count(string name) => root.TryGetProperty("request_counts", out var counts) && counts.ValueKind == JsonValueKind.Object &&
            counts.TryGetProperty(name, out var n) && n.TryGetInt32(out var value) ? value : 0;
        string? error = null;
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                if (Text(item, "message") is { } message) error = error is null ? message : error + "; " + message;
            }
        }
        return new BatchState(Text(root, "id") ?? batchId, Text(root, "status") ?? "unknown", Text(root, "output_file_id"), Text(root, "error_file_id"),
            Count("total"), Count("completed"), Count("failed"), error is null ? null : Secrets.Redact(error));
    }

    /// <summary>The content of a file (a batch's output or errors).</summary>
    public async Task<string> DownloadAsync(string fileId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, Url("files/" + Uri.EscapeDataString(fileId) + "/content")));
            Failure failure;
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                failure = await FailureAsync(response, "GET files/" + fileId, unsupportedOn404: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                failure = new Failure($"cannot reach the server ({Secrets.Redact(ex.Message)})", true, null);
            }
            await WaitOrGiveUpAsync(failure, attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Failure(string Message, bool Retryable, TimeSpan? RetryAfter);

    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> make, string what, bool unsupportedOn404, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = Authorized(make());
            Failure failure;
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var json = JsonDocument.Parse(text);
                        if (json.RootElement.ValueKind == JsonValueKind.Object) return json;
                        json.Dispose();
                    }
                    catch (JsonException)
                    {
                    }
                    failure = new Failure($"{what} answered something that is not a JSON object", true, null);
                }
                else
                {
                    failure = await FailureAsync(response, what, unsupportedOn404, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                failure = new Failure($"cannot reach the server ({Secrets.Redact(Innermost(ex).Message)})", true, null);
            }
            await WaitOrGiveUpAsync(failure, attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitOrGiveUpAsync(Failure failure, int attempt, CancellationToken cancellationToken)
    {
        if (!failure.Retryable || attempt >= _options.MaxRetries)
        {
            throw new ModelFatalException($"{_binding.Name} model {_binding.Identity}: the Batch API failed: {failure.Message}" + (failure.Retryable ? $" (after {attempt + 1} attempts)" : ""));
        }
        var wait = failure.RetryAfter ?? TimeSpan.FromMilliseconds(Math.Min(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)), _options.RetryMaxDelay.TotalMilliseconds));
        if (wait > _options.RetryMaxDelay) wait = _options.RetryMaxDelay;
        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Failure> FailureAsync(HttpResponseMessage response, string what, bool unsupportedOn404, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var detail = ReplyReader.ErrorMessage(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        if (status == 404 && unsupportedOn404)
        {
            return new Failure($"the server does not offer the OpenAI Batch API ({what} answered HTTP 404{detail}); run without --batch", false, null);
        }
        if (status is 401 or 403)
        {
            return new Failure(_binding.KeySource is { } source ? $"the server refused the API key (HTTP {status}{detail}); check {source}" : $"the server refused the request, which carried no API key (HTTP {status}{detail})", false, null);
        }
        var retryable = status is 408 or 409 or 429 or >= 500;
        TimeSpan? after = null;
        if (response.Headers.RetryAfter?.Delta is { } delta) after = delta;
        return new Failure($"{what} answered HTTP {status}{detail}", retryable, after);
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (_endpoint.Key is { } key) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var header in _endpoint.Headers)
        {
            request.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return request;
    }

    private static string Id(JsonDocument json, string what) =>
        json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text
            ? text
            : throw new ModelFatalException($"the server's answer to {what} has no id");

    private static bool IsConnectionFailure(Exception ex) =>
        ex is HttpRequestException or SocketException or System.IO.IOException || (ex.InnerException is not null && IsConnectionFailure(ex.InnerException));

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
