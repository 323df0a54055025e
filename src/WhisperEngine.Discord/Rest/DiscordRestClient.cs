using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Discord.Chunking;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Rest;

/// <summary>
/// The Discord REST calls a bot needs, on <see cref="HttpClient"/>, within Discord's rate limits: requests of one
/// bucket (route and channel) queue behind each other and wait out an exhausted bucket or a 429 before the next one
/// goes out; a global 429 holds every route; 5xx answers and network failures are retried with backoff.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per bot token (rate limits are per bot). Failures throw <see cref="DiscordException"/>.
/// Cancelling a call stops its waiting and its request.
/// </remarks>
public sealed partial class DiscordRestClient : IDisposable
{
    private readonly DiscordRestOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly RateLimiter _limiter;
    private readonly string _baseUrl;

    /// <param name="options">Token, base URL, retry settings.</param>
    /// <param name="httpClient">A client to send with; when null the instance creates and owns one.</param>
    /// <param name="logger">Where rate limits and retries are logged.</param>
    public DiscordRestClient(DiscordRestOptions options, HttpClient? httpClient = null, ILogger<DiscordRestClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new ArgumentException($"The Discord bot token is empty: set {options.TokenSettingName}.", nameof(options));
        }

        if (!options.BaseUrl.IsAbsoluteUri || options.BaseUrl.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"The Discord API base URL must be an absolute http(s) URL, not '{options.BaseUrl}'.", nameof(options));
        }

        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _limiter = new RateLimiter(options.GlobalRequestsPerSecond, options.TimeProvider);
        _baseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
    }

    /// <summary><c>GET /gateway/bot</c>: the gateway URL, the recommended shard count and the session start limit.</summary>
    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(RouteKey.Get("/gateway/bot"), "/gateway/bot", null, DiscordJsonContext.Default.GatewayBotInfo, cancellationToken))!;

    /// <summary><c>GET /users/@me</c>: the bot's own user; a cheap check that the token is accepted.</summary>
    public async Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(RouteKey.Get("/users/@me"), "/users/@me", null, DiscordJsonContext.Default.DiscordUser, cancellationToken))!;

    /// <summary><c>GET /channels/{id}</c>: a channel or thread, with its type, parent and permission overwrites.</summary>
    public async Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        return (await SendAsync(RouteKey.Get("/channels/{channel_id}", channelId), $"/channels/{channelId}", null,
            DiscordJsonContext.Default.DiscordChannel, cancellationToken))!;
    }

    /// <summary>
    /// <c>POST /channels/{id}/messages</c>: one message of at most 2,000 characters, optionally a reply to
    /// <paramref name="replyToMessageId"/> (still sent if that message was deleted meanwhile). Mentions in the text
    /// notify nobody except the author replied to. A nonce makes a retried request safe: Discord never posts it twice.
    /// </summary>
    public async Task<DiscordMessage> CreateMessageAsync(string channelId, string content, string? replyToMessageId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        if (content.Length > MessageChunker.DiscordLimit)
        {
            throw new ArgumentException($"A Discord message holds at most {MessageChunker.DiscordLimit} characters, this one has {content.Length}; use {nameof(CreateMessagesAsync)}.", nameof(content));
        }

        var request = new CreateMessageRequest
        {
            Content = content,
            MessageReference = replyToMessageId is null ? null : new MessageReference { MessageId = replyToMessageId, FailIfNotExists = false },
            AllowedMentions = new AllowedMentions([], RepliedUser: true),
            Nonce = Random.Shared.NextInt64(1_000_000_000_000_000, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            EnforceNonce = true,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, DiscordJsonContext.Default.CreateMessageRequest);
        var message = (await SendAsync(RouteKey.Post("/channels/{channel_id}/messages", channelId), $"/channels/{channelId}/messages", body,
            DiscordJsonContext.Default.DiscordMessage, cancellationToken))!;
        RestLog.MessageSent(_logger, message.Id, channelId, content.Length);
        return message;
    }

    /// <summary>
    /// Sends <paramref name="text"/> as as many messages as it takes (<see cref="MessageChunker"/>), in order; the
    /// first replies to <paramref name="replyToMessageId"/>. Returns the messages sent; a failure part-way throws,
    /// and the messages already sent stay.
    /// </summary>
    public async Task<IReadOnlyList<DiscordMessage>> CreateMessagesAsync(string channelId, string text, string? replyToMessageId = null, CancellationToken cancellationToken = default)
    {
        var sent = new List<DiscordMessage>();
        foreach (var chunk in MessageChunker.Split(text))
        {
            sent.Add(await CreateMessageAsync(channelId, chunk, sent.Count == 0 ? replyToMessageId : null, cancellationToken));
        }

        return sent;
    }

    /// <summary><c>POST /channels/{id}/typing</c>: shows "bot is typing…" for about 10 seconds or until it sends a message.</summary>
    public async Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        await SendAsync<object>(RouteKey.Post("/channels/{channel_id}/typing", channelId), $"/channels/{channelId}/typing", null, null, cancellationToken);
    }

    /// <summary>
    /// Keeps the typing indicator on in <paramref name="channelId"/> until the returned scope is disposed (or
    /// <paramref name="cancellationToken"/> fires): use it around the model call.
    /// </summary>
    public TypingScope StartTyping(string channelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        return new TypingScope(this, channelId, _options.TypingInterval, _options.TimeProvider, _logger, cancellationToken);
    }

    public void Dispose()
    {
        _limiter.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
