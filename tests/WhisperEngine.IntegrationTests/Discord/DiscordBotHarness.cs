using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Discord.Bot;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>
/// The engine (desktop tier: SQLite in a temp home, the fake model) with Discord bots on it, each talking to its own
/// <see cref="DiscordSimulator"/> (one per token, as each bot has its own gateway connection). Shared ids: one guild,
/// one channel, one human.
/// </summary>
public sealed class DiscordBotHarness : IAsyncDisposable
{
    public const string Guild = "200000000000000001";
    public const string Channel = "400000000000000001";
    public const string DmChannel = "400000000000000099";
    public const string Human = "500000000000000001";

    private readonly TempDirectory _home;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<BotUnderTest> _bots = [];

    private DiscordBotHarness(TempDirectory home, FakeOpenAiServer model, EngineHost engine)
    {
        _home = home;
        Model = model;
        Engine = engine;
    }

    public FakeOpenAiServer Model { get; }

    public EngineHost Engine { get; }

    public static async Task<DiscordBotHarness> StartAsync(IDictionary<string, string>? settings = null)
    {
        var home = new TempDirectory();
        var model = await FakeOpenAiServer.StartAsync();
        var engine = new EngineHost(TestConfig.Load(home.Path, model.BaseUrl, settings));
        return new DiscordBotHarness(home, model, engine);
    }

    /// <summary>Starts a bot speaking as <paramref name="botId"/> on a simulator of its own and waits for its READY.</summary>
    public async Task<BotUnderTest> AddBotAsync(
        string botId = "elena",
        string botUserId = "100000000000000001",
        bool allowBots = false,
        int maxBotExchanges = 3,
        IReadOnlySet<string>? admins = null)
    {
        var simulator = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions
        {
            Token = "token-of-" + botId,
            BotUserId = botUserId,
            BotUsername = botId + "bot",
        });
        var runner = new DiscordBotRunner(
            new DiscordBotOptions
            {
                Bot = new Core.Bots.BotDefinition { Id = botId, CharacterId = botId },
                Token = simulator.Options.Token,
                ApiBaseUrl = simulator.ApiBaseUrl,
                AllowBots = allowBots,
                MaxBotExchanges = maxBotExchanges,
                AdminUserIds = admins ?? new HashSet<string>(),
                ReconnectDelay = TimeSpan.FromMilliseconds(50),
                IdentifyInterval = TimeSpan.FromMilliseconds(100),
                TypingInterval = TimeSpan.FromMilliseconds(200),
                RestRetryBaseDelay = TimeSpan.FromMilliseconds(50),
            },
            Engine.Pipeline,
            Engine.Get<IConversationStore>(),
            Engine.Get<ICharacterCatalog>(),
            userData: Engine.Get<Core.Privacy.UserDataService>());
        var bot = new BotUnderTest(simulator, runner, Task.Run(() => runner.RunAsync(_stop.Token)));
        _bots.Add(bot);
        await runner.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return bot;
    }

    /// <summary>Shows one message to every bot, as Discord shows a channel's message to every bot in it.</summary>
    public async Task<string> SayAsync(string content, string? guild = Guild, string channel = Channel, string author = Human,
        bool authorIsBot = false, (string MessageId, string AuthorId)? replyTo = null)
    {
        var id = "6" + Random.Shared.NextInt64(10_000_000_000_000_000, 99_999_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var bot in _bots)
        {
            var mentions = _bots.Where(b => content.Contains(b.Mention, StringComparison.Ordinal))
                .Select(b => (b.UserId, b.Simulator.Options.BotUsername)).ToList();
            await bot.Simulator.SendMessageAsync(new SimulatedMessage
            {
                Id = id,
                ChannelId = channel,
                GuildId = guild,
                AuthorId = author,
                AuthorIsBot = authorIsBot,
                Content = content,
                Mentions = mentions,
                ReplyTo = replyTo,
            });
        }

        return id;
    }

    /// <summary>Messages stored for <paramref name="user"/> with <paramref name="botId"/> in <paramref name="channel"/>.</summary>
    public async Task<long> StoredAsync(string botId = "elena", string channel = Channel, string user = Human) =>
        await Engine.Get<IConversationStore>().CountMessagesAsync(new ConversationKey(ConversationKey.DefaultTenant, botId, user, channel));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var bot in _bots)
        {
            try
            {
                await bot.Run.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (global::WhisperEngine.Discord.DiscordException)
            {
                // A test that expected a fatal stop has looked at it.
            }

            await bot.Simulator.DisposeAsync();
        }

        await Engine.DisposeAsync();
        await Model.DisposeAsync();
        _home.Dispose();
        _stop.Dispose();
    }
}
