using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WhisperEngine.Testing;

/// <summary>
/// A loopback HTTP server that speaks the OpenAI chat completions wire protocol, for tests and benchmarks.
/// Point an OpenAI client at <see cref="BaseUrl"/>; script answers with <see cref="Enqueue"/>,
/// <see cref="Responder"/> or <see cref="DefaultReply"/>; inspect what arrived with <see cref="Requests"/>.
/// </summary>
/// <remarks>
/// Routes: <c>POST …/chat/completions</c> (plain and <c>"stream": true</c>), <c>POST …/embeddings</c>, <c>GET …/models</c>;
/// anything else gets an OpenAI-style 404. Every request, whatever its path, is recorded.
/// </remarks>
public sealed partial class FakeOpenAiServer : IAsyncDisposable
{
    /// <summary>The id of the single model listed by <c>GET /v1/models</c>.</summary>
    public const string ModelId = "fake-model";

    private static readonly FakeReply BuiltInDefaultReply = FakeReply.Text("Hello from the fake model.");

    // Time for bytes already flushed to leave the socket before the connection is aborted.
    private static readonly TimeSpan AbortSettleDelay = TimeSpan.FromMilliseconds(50);

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<FakeReply> _queue = new();
    private readonly Lock _requestsLock = new();
    private readonly List<RecordedRequest> _requests = [];
    private volatile FakeReply _defaultReply = BuiltInDefaultReply;
    private volatile Func<RecordedRequest, FakeReply>? _responder;
    private int _completionCounter;
    private int _disposed;

    private FakeOpenAiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The OpenAI endpoint to give a client, e.g. <c>http://127.0.0.1:54321/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>
    /// The reply to a chat completions request when the queue is empty and there is no <see cref="Responder"/>.
    /// Defaults to <c>FakeReply.Text("Hello from the fake model.")</c>.
    /// </summary>
    public FakeReply DefaultReply
    {
        get => _defaultReply;
        set => _defaultReply = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Computes the reply from the request when the queue is empty; takes precedence over
    /// <see cref="DefaultReply"/>. An exception it throws becomes a 500 error reply.
    /// </summary>
    public Func<RecordedRequest, FakeReply>? Responder
    {
        get => _responder;
        set => _responder = value;
    }

    /// <summary>A snapshot, in arrival order, of every request received so far.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>How many requests (on any path) have been received so far.</summary>
    public int RequestCount
    {
        get
        {
            lock (_requestsLock)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Starts a server on 127.0.0.1 with a port chosen by the operating system.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeOpenAiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeOpenAiServer).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.WebHost
            .UseKestrelCore()
            .UseShutdownTimeout(TimeSpan.FromSeconds(2))
            .ConfigureKestrel(options =>
            {
                options.AddServerHeader = false;
                options.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            });

        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.Run(server.HandleAsync);

        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Queues a reply; queued replies answer chat completions requests first-in first-out.</summary>
    /// <param name="reply">The reply for one future request.</param>
    public void Enqueue(FakeReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        _queue.Enqueue(reply);
    }

    /// <summary>Stops the server, cutting off replies still in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // In-flight connections were aborted; nothing else to wait for.
            }
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = linked.Token;
        try
        {
            var request = context.Request;
            string body;
            using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(cancellationToken);
            }

            var recorded = Record(request, body);
            context.Response.Headers["x-request-id"] = "req_fake" + recorded.Sequence.ToString("D6");

            var path = request.Path.Value ?? string.Empty;
            if (HttpMethods.IsPost(request.Method) && path.EndsWith("/chat/completions", StringComparison.Ordinal))
            {
                await HandleChatCompletionAsync(context, recorded, cancellationToken);
            }
            else if (HttpMethods.IsPost(request.Method) && path.EndsWith("/embeddings", StringComparison.Ordinal))
            {
                await HandleEmbeddingsAsync(context, recorded, cancellationToken);
            }
            else if (HttpMethods.IsGet(request.Method) && path.TrimEnd('/').EndsWith("/models", StringComparison.Ordinal))
            {
                await WriteBodyAsync(context.Response, 200, "application/json", ChatCompletionJson.ModelList([ModelId]), cancellationToken);
            }
            else
            {
                var error = FakeReply.Error(
                    404,
                    $"Unknown request URL: {request.Method} {path}.",
                    "invalid_request_error",
                    code: "unknown_url");
                await WriteErrorAsync(context.Response, error, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the server is stopping: make sure no half reply looks complete.
            context.Abort();
        }
    }

    private RecordedRequest Record(HttpRequest request, string body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        lock (_requestsLock)
        {
            var recorded = new RecordedRequest(
                _requests.Count + 1,
                request.Method,
                request.Path.Value ?? string.Empty,
                headers.AsReadOnly(),
                body,
                DateTimeOffset.UtcNow);
            _requests.Add(recorded);
            return recorded;
        }
    }

    private FakeReply ChooseReply(RecordedRequest request)
    {
        if (_queue.TryDequeue(out var queued))
        {
            return queued;
        }

        if (_responder is { } responder)
        {
            try
            {
                return responder(request) ?? DefaultReply;
            }
#pragma warning disable CA1031 // A failing responder is reported to the client, like a server bug would be.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return FakeReply.Error(500, $"The fake responder threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        return DefaultReply;
    }

    private async Task HandleChatCompletionAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        var reply = ChooseReply(request);
        if (reply.Kind == FakeReplyKind.Hang)
        {
            await Task.Delay(reply.Delay, cancellationToken);
            reply = DefaultReply.Kind == FakeReplyKind.Hang ? BuiltInDefaultReply : DefaultReply;
        }

        var json = new ChatCompletionJson(
            "chatcmpl-fake" + Interlocked.Increment(ref _completionCounter).ToString("D6"),
            DateTimeOffset.UtcNow,
            request.Model ?? ModelId,
            usageNullInChunks: request.IncludeUsage);

        switch (reply.Kind)
        {
            case FakeReplyKind.Text when request.Stream:
                await StreamTextAsync(context.Response, reply, json, request.IncludeUsage, cancellationToken);
                break;
            case FakeReplyKind.Text:
                await WriteTextAsync(context.Response, reply, json, cancellationToken);
                break;
            case FakeReplyKind.Error:
                await WriteErrorAsync(context.Response, reply, cancellationToken);
                break;
            case FakeReplyKind.MalformedJson:
                await WriteMalformedAsync(context.Response, request.Stream, cancellationToken);
                break;
            case FakeReplyKind.DropStream:
                await DropAsync(context, reply, json, request.Stream, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unexpected reply kind {reply.Kind}.");
        }
    }

    private static async Task WriteTextAsync(HttpResponse response, FakeReply reply, ChatCompletionJson json, CancellationToken cancellationToken)
    {
        // A plain request takes as long as streaming the same reply would.
        var pieces = TextChunker.Split(reply.Content, reply.Chunks);
        var generation = reply.FirstTokenDelay + (reply.InterChunkDelay * Math.Max(0, pieces.Count - 1));
        if (generation > TimeSpan.Zero)
        {
            await Task.Delay(generation, cancellationToken);
        }

        var body = json.Completion(reply.Content, reply.FinishReason, reply.PromptTokens, reply.CompletionTokens, reply.ReportedCost);
        await WriteBodyAsync(response, 200, "application/json", body, cancellationToken);
    }

    private static async Task StreamTextAsync(
        HttpResponse response,
        FakeReply reply,
        ChatCompletionJson json,
        bool includeUsage,
        CancellationToken cancellationToken)
    {
        if (reply.FirstTokenDelay > TimeSpan.Zero)
        {
            await Task.Delay(reply.FirstTokenDelay, cancellationToken);
        }

        await StartEventStreamAsync(response, cancellationToken);
        await WriteEventAsync(response, json.RoleChunk(), cancellationToken);

        var pieces = TextChunker.Split(reply.Content, reply.Chunks);
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && reply.InterChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.InterChunkDelay, cancellationToken);
            }

            await WriteEventAsync(response, json.ContentChunk(pieces[i]), cancellationToken);
        }

        await WriteEventAsync(response, json.FinishChunk(reply.FinishReason), cancellationToken);
        if (includeUsage)
        {
            await WriteEventAsync(response, json.UsageChunk(reply.PromptTokens, reply.CompletionTokens, reply.ReportedCost), cancellationToken);
        }

        await response.Body.WriteAsync(DoneEvent, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteErrorAsync(HttpResponse response, FakeReply reply, CancellationToken cancellationToken)
    {
        if (reply.RetryAfter is { } retryAfter)
        {
            var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = ChatCompletionJson.Error(reply.ErrorMessage ?? string.Empty, reply.ErrorType ?? "server_error", reply.ErrorCode);
        await WriteBodyAsync(response, reply.StatusCode, "application/json", body, cancellationToken);
    }

    private static async Task WriteMalformedAsync(HttpResponse response, bool stream, CancellationToken cancellationToken)
    {
        if (stream)
        {
            await StartEventStreamAsync(response, cancellationToken);
            await response.Body.WriteAsync(
                "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"This chunk is cut o\n\n"u8.ToArray(),
                cancellationToken);
            await response.Body.WriteAsync(DoneEvent, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            return;
        }

        var body = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"This reply is cut o"u8.ToArray();
        await WriteBodyAsync(response, 200, "application/json", body, cancellationToken);
    }

    private static async Task DropAsync(HttpContext context, FakeReply reply, ChatCompletionJson json, bool stream, CancellationToken cancellationToken)
    {
        var response = context.Response;
        if (stream)
        {
            await StartEventStreamAsync(response, cancellationToken);
            await WriteEventAsync(response, json.RoleChunk(), cancellationToken);
            IReadOnlyList<string> pieces = reply.Chunks == 0 ? [] : TextChunker.Split(reply.Content, reply.Chunks);
            foreach (var piece in pieces)
            {
                await WriteEventAsync(response, json.ContentChunk(piece), cancellationToken);
            }
        }
        else
        {
            // Promise the whole body, deliver half of it.
            var body = json.Completion(reply.Content, "stop", 10, FakeReply.CountWords(reply.Content));
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }

        await Task.Delay(AbortSettleDelay, cancellationToken);
        context.Abort();
    }

    private static async Task StartEventStreamAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken);
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(DataPrefix, cancellationToken);
        await response.Body.WriteAsync(json, cancellationToken);
        await response.Body.WriteAsync(EventEnd, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteBodyAsync(HttpResponse response, int status, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }
}
