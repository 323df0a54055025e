namespace WhisperEngine.Testing;

/// <summary>
/// A scripted answer of <see cref="FakeOpenAiServer"/> to one chat completions request.
/// Create one with the static factories; the same instance may be reused for many requests.
/// </summary>
public sealed class FakeReply
{
    private FakeReply(FakeReplyKind kind)
    {
        Kind = kind;
    }

    /// <summary>What this reply makes the server do.</summary>
    public FakeReplyKind Kind { get; }

    /// <summary>
    /// The assistant text (<see cref="FakeReplyKind.Text"/>) or the text sent before the connection
    /// is cut (<see cref="FakeReplyKind.DropStream"/>).
    /// </summary>
    public string Content { get; private init; } = string.Empty;

    /// <summary>
    /// How many content chunks a streamed reply is split into; 0 splits on words
    /// (each chunk is a word with its leading whitespace).
    /// For <see cref="FakeReplyKind.DropStream"/> this is the number of chunks sent before the abort.
    /// </summary>
    public int Chunks { get; private init; }

    /// <summary>Delay before the first byte of the response (time to first token).</summary>
    public TimeSpan FirstTokenDelay { get; private init; }

    /// <summary>Delay between two content chunks; a plain reply waits as long as the stream would take.</summary>
    public TimeSpan InterChunkDelay { get; private init; }

    /// <summary>The reported <c>usage.prompt_tokens</c>.</summary>
    public int PromptTokens { get; private init; }

    /// <summary>The reported <c>usage.completion_tokens</c>.</summary>
    public int CompletionTokens { get; private init; }

    /// <summary>The <c>usage.cost</c> OpenRouter adds (US dollars); null: not reported, as OpenAI does.</summary>
    public decimal? ReportedCost { get; private init; }

    /// <summary>The <c>finish_reason</c> of the choice, e.g. <c>stop</c> or <c>length</c>.</summary>
    public string FinishReason { get; private init; } = "stop";

    /// <summary>The HTTP status code of an <see cref="FakeReplyKind.Error"/> reply.</summary>
    public int StatusCode { get; private init; } = 200;

    /// <summary>The <c>error.message</c> of an <see cref="FakeReplyKind.Error"/> reply.</summary>
    public string? ErrorMessage { get; private init; }

    /// <summary>The <c>error.type</c> of an <see cref="FakeReplyKind.Error"/> reply.</summary>
    public string? ErrorType { get; private init; }

    /// <summary>The <c>error.code</c> of an <see cref="FakeReplyKind.Error"/> reply.</summary>
    public string? ErrorCode { get; private init; }

    /// <summary>The <c>Retry-After</c> header of an <see cref="FakeReplyKind.Error"/> reply, if any.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>How long a <see cref="FakeReplyKind.Hang"/> reply waits before answering.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>
    /// A successful completion with <paramref name="content"/> as the assistant message.
    /// A plain request gets a <c>chat.completion</c> object; a request with <c>"stream": true</c> gets
    /// server-sent <c>chat.completion.chunk</c> events ending with <c>data: [DONE]</c>, including a usage
    /// chunk when the request asked for <c>stream_options.include_usage</c>.
    /// </summary>
    /// <param name="content">The assistant text.</param>
    /// <param name="chunks">Number of streamed content chunks; 0 splits on words.</param>
    /// <param name="firstTokenDelay">Delay before the response starts.</param>
    /// <param name="interChunkDelay">Delay between content chunks.</param>
    /// <param name="promptTokens">The reported prompt token count.</param>
    /// <param name="completionTokens">The reported completion token count; <see langword="null"/> counts the words of <paramref name="content"/>.</param>
    /// <param name="finishReason">The reported finish reason.</param>
    /// <param name="reportedCost">A <c>usage.cost</c> to report, as OpenRouter does; null reports none.</param>
    public static FakeReply Text(
        string content,
        int chunks = 0,
        TimeSpan? firstTokenDelay = null,
        TimeSpan? interChunkDelay = null,
        int promptTokens = 10,
        int? completionTokens = null,
        string finishReason = "stop",
        decimal? reportedCost = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(finishReason);
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        if (completionTokens is { } tokens)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(tokens, nameof(completionTokens));
        }

        return new FakeReply(FakeReplyKind.Text)
        {
            Content = content,
            Chunks = chunks,
            FirstTokenDelay = NonNegative(firstTokenDelay, nameof(firstTokenDelay)),
            InterChunkDelay = NonNegative(interChunkDelay, nameof(interChunkDelay)),
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens ?? CountWords(content),
            FinishReason = finishReason,
            ReportedCost = reportedCost,
        };
    }

    /// <summary>
    /// An OpenAI error: status <paramref name="status"/> with body
    /// <c>{"error":{"message","type","param":null,"code"}}</c>, and a <c>Retry-After</c> header
    /// (whole seconds, rounded up) when <paramref name="retryAfter"/> is given.
    /// </summary>
    /// <param name="status">The HTTP status code, e.g. 429, 500, 503, 401.</param>
    /// <param name="message">The error message; <see langword="null"/> picks one that fits the status.</param>
    /// <param name="type">The <c>error.type</c>.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> header value.</param>
    /// <param name="code">The <c>error.code</c>; <see langword="null"/> picks one that fits the status (or null).</param>
    public static FakeReply Error(
        int status,
        string? message = null,
        string type = "server_error",
        TimeSpan? retryAfter = null,
        string? code = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        ArgumentNullException.ThrowIfNull(type);

        return new FakeReply(FakeReplyKind.Error)
        {
            StatusCode = status,
            ErrorMessage = message ?? DefaultErrorMessage(status),
            ErrorType = type,
            ErrorCode = code ?? DefaultErrorCode(status),
            RetryAfter = retryAfter is null ? null : NonNegative(retryAfter, nameof(retryAfter)),
        };
    }

    /// <summary>
    /// A 200 response that cannot be parsed: <c>application/json</c> with a truncated body for a plain
    /// request, and for a streamed request a <c>data:</c> event holding truncated JSON.
    /// </summary>
    public static FakeReply MalformedJson() => new(FakeReplyKind.MalformedJson);

    /// <summary>
    /// A response cut off by aborting the connection. A streamed request gets the role chunk and then
    /// <paramref name="partialContent"/> split into <paramref name="afterChunks"/> content chunks, and never
    /// a finish chunk or <c>data: [DONE]</c>. A plain request gets half of a completion body.
    /// </summary>
    /// <param name="partialContent">The text sent before the connection is cut.</param>
    /// <param name="afterChunks">Number of content chunks sent before the abort (0 sends only the role chunk).</param>
    public static FakeReply DropStream(string partialContent, int afterChunks)
    {
        ArgumentNullException.ThrowIfNull(partialContent);
        ArgumentOutOfRangeException.ThrowIfNegative(afterChunks);

        return new FakeReply(FakeReplyKind.DropStream)
        {
            Content = partialContent,
            Chunks = afterChunks,
        };
    }

    /// <summary>
    /// Waits <paramref name="delay"/> (giving up when the client goes away) and then answers as
    /// <see cref="FakeOpenAiServer.DefaultReply"/> does; for timeout and cancellation tests.
    /// </summary>
    /// <param name="delay">How long to wait before answering.</param>
    public static FakeReply Hang(TimeSpan delay) =>
        new(FakeReplyKind.Hang) { Delay = NonNegative(delay, nameof(delay)) };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FakeReplyKind.Text => $"Text({Content.Length} chars)",
        FakeReplyKind.Error => $"Error({StatusCode})",
        FakeReplyKind.DropStream => $"DropStream(after {Chunks} chunks)",
        FakeReplyKind.Hang => $"Hang({Delay})",
        _ => Kind.ToString(),
    };

    internal static int CountWords(string content) =>
        content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static TimeSpan NonNegative(TimeSpan? value, string name)
    {
        var span = value ?? TimeSpan.Zero;
        if (span < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, span, "The delay must not be negative.");
        }

        return span;
    }

    private static string DefaultErrorMessage(int status) => status switch
    {
        400 => "Invalid request (fake).",
        401 => "Incorrect API key provided (fake).",
        403 => "You are not allowed to access this resource (fake).",
        404 => "The model does not exist or you do not have access to it (fake).",
        429 => "Rate limit reached for requests (fake).",
        500 => "The server had an error while processing your request (fake).",
        503 => "The engine is currently overloaded, please try again later (fake).",
        _ => $"Fake error with status {status}.",
    };

    private static string? DefaultErrorCode(int status) => status switch
    {
        401 => "invalid_api_key",
        404 => "model_not_found",
        429 => "rate_limit_exceeded",
        _ => null,
    };
}
