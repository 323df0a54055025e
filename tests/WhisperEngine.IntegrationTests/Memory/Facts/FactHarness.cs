using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.AI.Chat;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Sqlite.Facts;
using WhisperEngine.Storage.Sqlite;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>
/// Fact extraction as the engine wires it: a real SQLite file (conversations, usage ledger, facts), the engine's
/// chat-client pipeline against a <see cref="FakeOpenAiServer"/>, and a log that tests can read.
/// </summary>
public sealed class FactHarness : IAsyncDisposable
{
    public static readonly TiktokenTokenCounter Tokens = new(warmUp: false);

    private readonly TempDirectory _dir = new();
    private readonly IChatClient _chat;

    private FactHarness(FakeOpenAiServer model, FactOptions options)
    {
        Model = model;
        Database = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("we.db") });
        Database.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        Facts = new SqliteFactStore(Database, TimeProvider.System);
        Conversations = new SqliteConversationStore(Database, TimeProvider.System);
        Ledger = new SqliteUsageLedger(Database, Log.CreateLogger<SqliteUsageLedger>());
        var endpoint = new ModelEndpointOptions { ApiUrl = model.BaseUrl, MaxRetries = 0, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        _chat = ChatPipeline.Build(new OpenAiModelChatClient(endpoint), endpoint, Ledger, Tokens, Log, TimeProvider.System);
        Options = options;
        Extractor = new FactExtractor(Facts, _chat, options, Log.CreateLogger<FactExtractor>());
        Job = new FactExtractionJob(Extractor, Facts, Conversations, options, Dispatcher);
    }

    public FakeOpenAiServer Model { get; }
    public RecordingLoggerFactory Log { get; } = new();
    public SqliteDatabase Database { get; }
    public SqliteFactStore Facts { get; }
    public SqliteConversationStore Conversations { get; }
    public SqliteUsageLedger Ledger { get; }
    public FactOptions Options { get; }
    public FactExtractor Extractor { get; }
    public FactExtractionJob Job { get; }

    /// <summary>The turn leases the extraction job holds (the engine's in-process dispatcher).</summary>
    public InProcessTurnDispatcher Dispatcher { get; } = new(4, 100);

    public static readonly MemoryPartition Ann = new("default", "elena", "ann");

    public static RecallScope Dm { get; } = new(Ann, "dm", PrivacyLevel.DirectMessage);

    public static RecallScope Public { get; } = new(Ann, "general", PrivacyLevel.PublicChannel);

    public static async Task<FactHarness> StartAsync(FactOptions? options = null) =>
        new(await FakeOpenAiServer.StartAsync(), options ?? new FactOptions { Model = "cheap-model", ModelReason = "memory.facts.model" });

    /// <summary>Stores the lines as a conversation (alternating user and bot, user first) and returns them as extraction input.</summary>
    public async Task<List<FactSourceMessage>> ConversationAsync(RecallScope scope, params string[] lines)
    {
        var key = new ConversationKey(scope.Partition.TenantId, scope.Partition.BotId, scope.Partition.UserId, scope.ChannelId);
        var conversation = await Conversations.GetOrCreateConversationAsync(key, scope.Privacy);
        var messages = new List<FactSourceMessage>();
        for (var i = 0; i < lines.Length; i++)
        {
            var role = i % 2 == 0 ? MessageRole.User : MessageRole.Assistant;
            var stored = await Conversations.AppendMessageAsync(conversation, new NewMessage(role, lines[i], Tokens.CountTokens(lines[i]), MessageFlags.None));
            messages.Add(FactSourceMessage.From(stored));
        }

        return messages;
    }

    public Task<IReadOnlyList<FactRecord>> ActiveAsync() => Facts.GetActiveAsync(FactOwner.Of(Ann)).AsTask();

    public async Task<IReadOnlyList<UsageRecord>> LedgerAsync() => await Ledger.GetRecentAsync(100);

    public async ValueTask DisposeAsync()
    {
        _chat.Dispose();
        await Model.DisposeAsync();
        Database.Dispose();
        _dir.Dispose();
    }
}
