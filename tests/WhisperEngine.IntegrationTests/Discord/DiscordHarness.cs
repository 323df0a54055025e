using WhisperEngine.Discord;
using WhisperEngine.Discord.Gateway;
using WhisperEngine.Discord.Rest;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>
/// A <see cref="DiscordSimulator"/> with our REST and gateway clients pointed at it, tuned for fast tests
/// (short reconnect and invalid-session delays, a short identify window).
/// </summary>
public sealed class DiscordHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DiscordGatewayClient Client, Task Run)> _shards = [];

    private DiscordHarness(DiscordSimulator simulator, string token)
    {
        Simulator = simulator;
        Token = token;
    }

    public DiscordSimulator Simulator { get; }

    public DiscordRestClient Rest { get; private set; } = null!;

    public string Token { get; }

    public RecordingLogger<DiscordGatewayClient> GatewayLog { get; } = new();

    public RecordingLogger<DiscordRestClient> RestLog { get; } = new();

    /// <summary>The first shard's client.</summary>
    public DiscordGatewayClient Gateway => _shards[0].Client;

    /// <summary>The first shard's <see cref="DiscordGatewayClient.RunAsync"/>.</summary>
    public Task Run => _shards[0].Run;

    public static async Task<DiscordHarness> StartAsync(
        DiscordSimulatorOptions? simulator = null,
        string? clientToken = null,
        int maxRetries = 3)
    {
        var sim = await DiscordSimulator.StartAsync(simulator);
        var token = clientToken ?? sim.Options.Token;
        var restOptions = new DiscordRestOptions
        {
            Token = token,
            BaseUrl = sim.ApiBaseUrl,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            TypingInterval = TimeSpan.FromMilliseconds(200),
            MaxRetries = maxRetries,
        };
        var harness = new DiscordHarness(sim, token);
        harness.Rest = new DiscordRestClient(restOptions, logger: harness.RestLog);
        return harness;
    }

    /// <summary>Starts a gateway shard and returns its client.</summary>
    public DiscordGatewayClient StartShard(int shardId = 0, int shardCount = 1, IdentifyQueue? identifyQueue = null, DiscordIntents intents = DiscordIntents.Default)
    {
        var client = new DiscordGatewayClient(
            new DiscordGatewayOptions
            {
                Token = Token,
                GatewayInfoProvider = Rest.GetGatewayBotAsync,
                Intents = intents,
                ShardId = shardId,
                ShardCount = shardCount,
                IdentifyQueue = identifyQueue ?? new IdentifyQueue(interval: TimeSpan.FromMilliseconds(100)),
                ReconnectDelay = TimeSpan.FromMilliseconds(50),
                InvalidSessionMinDelay = TimeSpan.FromMilliseconds(50),
                InvalidSessionMaxDelay = TimeSpan.FromMilliseconds(150),
                CloseTimeout = TimeSpan.FromMilliseconds(500),
                HandshakeTimeout = TimeSpan.FromSeconds(5),
            },
            GatewayLog);
        _shards.Add((client, Task.Run(() => client.RunAsync(_stop.Token))));
        return client;
    }

    /// <summary>Starts shard 0 and waits for its READY.</summary>
    public async Task<DiscordGatewayClient> ConnectAsync()
    {
        var client = StartShard();
        await client.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (_, run) in _shards)
        {
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (DiscordException)
            {
                // A test that expected a fatal stop has already looked at it.
            }
        }

        Rest.Dispose();
        await Simulator.DisposeAsync();
        _stop.Dispose();
    }
}
