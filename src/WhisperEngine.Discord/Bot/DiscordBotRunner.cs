using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.Discord.Gateway;
using WhisperEngine.Discord.Model;
using WhisperEngine.Discord.Rest;

namespace WhisperEngine.Discord.Bot;

/// <summary>
/// One bot on Discord: its own REST client and gateway shards (with a shared <see cref="IdentifyQueue"/>), and the
/// rules of who it answers. It answers direct messages, and in servers only messages that mention it or reply to it;
/// other bots only when allowed, and then no more than <see cref="DiscordBotOptions.MaxBotExchanges"/> in a row.
/// Turns of one channel are answered in arrival order. Every turn carries the speaker (the conversation key's user)
/// and the privacy of the place, so memory rules apply. A failed turn is answered with a short in-character line.
/// </summary>
/// <remarks>Thread-safe to observe; <see cref="RunAsync"/> runs once.</remarks>
public sealed partial class DiscordBotRunner
{
    private readonly DiscordBotOptions _options;
    private readonly TurnPipeline _pipeline;
    private readonly IConversationStore _store;
    private readonly UserDataService? _userData;
    private readonly ICharacterCatalog _characters;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly BotLoopGuard _loopGuard;
    private readonly ChannelSerializer _channels;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DiscordRestClient? _rest;
    private IReadOnlyList<DiscordGatewayClient> _shards = [];
    private volatile DiscordUser? _self;
    private int _running;

    /// <param name="options">The bot's settings.</param>
    /// <param name="pipeline">The engine's turn pipeline.</param>
    /// <param name="store">The conversation store (for the memory command).</param>
    /// <param name="characters">The loaded characters.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="userData">Erases a person's data for the forget command; without it, forget deletes only the conversation where it is said.</param>
    public DiscordBotRunner(DiscordBotOptions options, TurnPipeline pipeline, IConversationStore store, ICharacterCatalog characters, ILoggerFactory? loggerFactory = null,
        UserDataService? userData = null)
    {
        _userData = userData;
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _pipeline = pipeline;
        _store = store;
        _characters = characters;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<DiscordBotRunner>();
        _loopGuard = new BotLoopGuard(options.MaxBotExchanges);
        _channels = new ChannelSerializer(options.MaxActiveChannels);
    }

    /// <summary>The bot's id in WhisperEngine.</summary>
    public string BotId => _options.Bot.Id;

    /// <summary>The bot's Discord user, once READY.</summary>
    public DiscordUser? CurrentUser => _self;

    /// <summary>When <see cref="RunAsync"/> started.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>The running shards.</summary>
    public IReadOnlyList<DiscordGatewayClient> Shards => _shards;

    /// <summary>Completes when every shard has had its first READY; fails when <see cref="RunAsync"/> stops before.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Completes when every message received so far has been handled.</summary>
    public Task IdleAsync() => _channels.IdleAsync();

    /// <summary>
    /// Connects and answers until <paramref name="cancellationToken"/> fires (then disconnects cleanly and returns), or
    /// throws a non-transient <see cref="DiscordException"/> saying what to fix (a refused token, a missing intent).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("RunAsync runs once per DiscordBotRunner.");
        }

        StartedAt = _options.TimeProvider.GetUtcNow();
        using var rest = new DiscordRestClient(
            new DiscordRestOptions
            {
                Token = _options.Token,
                TokenSettingName = _options.TokenSettingName,
                BaseUrl = _options.ApiBaseUrl,
                TypingInterval = _options.TypingInterval,
                RetryBaseDelay = _options.RestRetryBaseDelay,
                TimeProvider = _options.TimeProvider,
            },
            logger: _loggerFactory.CreateLogger<DiscordRestClient>());
        _rest = rest;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var info = await FirstGatewayInfoAsync(rest, cancellationToken);
            _shards = CreateShards(rest, info);
            var runs = _shards.Select(shard => RunShardAsync(shard, stop)).ToList();
            var readers = _shards.Select(shard => ReadAsync(shard, stop.Token)).ToList();
            _ = SignalReadyAsync(stop.Token);
            try
            {
                await Task.WhenAll(runs);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(readers);
                await _channels.IdleAsync();
            }

            BotLog.Stopped(_logger, BotId);
        }
        catch (DiscordException ex)
        {
            BotLog.Fatal(_logger, BotId, ex.Message);
            _ready.TrySetException(ex);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            BotLog.Stopped(_logger, BotId);
        }
        finally
        {
            _ready.TrySetCanceled(CancellationToken.None);
        }
    }

    private async Task<GatewayBotInfo> FirstGatewayInfoAsync(DiscordRestClient rest, CancellationToken cancellationToken)
    {
        // A refused token fails here, before any gateway connection; an outage is waited out.
        var failures = 0;
        while (true)
        {
            try
            {
                return await rest.GetGatewayBotAsync(cancellationToken);
            }
            catch (DiscordException ex) when (ex.IsTransient)
            {
                var delay = _options.ReconnectDelay * Math.Pow(2, Math.Min(failures++, 7));
                BotLog.StartRetry(_logger, BotId, ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, _options.TimeProvider, cancellationToken);
            }
        }
    }

    private List<DiscordGatewayClient> CreateShards(DiscordRestClient rest, GatewayBotInfo first)
    {
        var count = _options.ShardCount ?? Math.Max(1, first.Shards);
        int[] ids = _options.ShardId is { } only ? [only] : [.. Enumerable.Range(0, count)];
        BotLog.Connecting(_logger, BotId, string.Join(",", ids), count);
        var identify = new IdentifyQueue(_options.TimeProvider, _options.IdentifyInterval);
        var cached = first;
        var gatewayLogger = _loggerFactory.CreateLogger<DiscordGatewayClient>();
        return [.. ids.Select(id => new DiscordGatewayClient(
            new DiscordGatewayOptions
            {
                Token = _options.Token,
                TokenSettingName = _options.TokenSettingName,
                // The answer fetched at start serves the first identify; later sessions ask again.
                GatewayInfoProvider = ct => Interlocked.Exchange(ref cached, null) is { } info ? Task.FromResult(info) : rest.GetGatewayBotAsync(ct),
                Intents = _options.Intents,
                ShardId = id,
                ShardCount = count,
                IdentifyQueue = identify,
                ReconnectDelay = _options.ReconnectDelay,
                TimeProvider = _options.TimeProvider,
            },
            gatewayLogger))];
    }

    private static async Task RunShardAsync(DiscordGatewayClient shard, CancellationTokenSource stop)
    {
        try
        {
            await Task.Run(() => shard.RunAsync(stop.Token));
        }
        catch
        {
            // One shard that cannot go on (bad token, missing intent) stops the bot: the others would fail alike.
            await stop.CancelAsync();
            throw;
        }
    }

    private async Task SignalReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_shards.Select(s => s.WaitUntilReadyAsync(cancellationToken)));
            _ready.TrySetResult();
        }
        catch (DiscordException ex)
        {
            _ready.TrySetException(ex);
        }
        catch (OperationCanceledException)
        {
            _ready.TrySetCanceled(CancellationToken.None);
        }
    }

    private async Task ReadAsync(DiscordGatewayClient shard, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var dispatch in shard.Dispatches.ReadAllAsync(cancellationToken))
            {
                if (dispatch.Ready is { } ready)
                {
                    if (_self is null)
                    {
                        BotLog.Ready(_logger, BotId, ready.User.Username, ready.User.Id);
                    }

                    _self = ready.User;
                }
                else if (dispatch.Message is { } message)
                {
                    OnMessage(message, cancellationToken);
                }
            }
        }
        catch (DiscordException)
        {
            // The shard's run reports it.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
