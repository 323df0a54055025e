using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Keywords;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>The memory write and read path on a real store (a SQLite file, or a PostgreSQL schema), as the engine wires it.</summary>
public sealed class MemoryHarness : IDisposable
{
    private static readonly TiktokenTokenCounter Tokens = new(warmUp: false);
    private readonly Action? _dispose;

    /// <summary>On a SQLite file (created and migrated when new); the harness owns the database.</summary>
    public MemoryHarness(string path, IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options = null)
        : this(OpenSqlite(path), embedder, options)
    {
    }

    private MemoryHarness(SqliteDatabase database, IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options)
        : this(new SqliteMemoryStore(database, TimeProvider.System, options), embedder, options, database.Dispose)
    {
        Database = database;
    }

    /// <summary>On any store; <paramref name="dispose"/> releases what the store runs on, if the harness owns it.</summary>
    public MemoryHarness(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options = null, Action? dispose = null)
    {
        options ??= new MemoryOptions();
        Store = store;
        _dispose = dispose;
        Indexes = new VectorIndexRegistry(Store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        Keywords = new KeywordIndexRegistry(Store as IMemoryCatalog ?? throw new ArgumentException($"{store.GetType().Name} has no catalog.", nameof(store)),
            Store, options, NullLogger<KeywordIndexRegistry>.Instance);
        Writer = new MemoryWriter(Store, embedder, Tokens, Indexes, options, NullLogger<MemoryWriter>.Instance, keywords: Keywords);
        Retriever = new HybridRetriever(Store, embedder, Indexes, options, TimeProvider.System, NullLogger<HybridRetriever>.Instance, Keywords);
    }

    /// <summary>The SQLite database under the store, when the harness opened one.</summary>
    public SqliteDatabase? Database { get; }
    public IMemoryStore Store { get; }

    /// <summary>The store's topic clusters (a store that keeps them: SQLite).</summary>
    public IMemoryClusterStore Clusters => Store as IMemoryClusterStore ?? throw new InvalidOperationException($"{Store.GetType().Name} keeps no clusters.");
    public VectorIndexRegistry Indexes { get; }

    /// <summary>The in-memory keyword indexes, kept in sync by <see cref="Writer"/>; the retriever searches them unless <see cref="MemoryOptions.KeywordIndex"/> says store.</summary>
    public KeywordIndexRegistry Keywords { get; }
    public MemoryWriter Writer { get; }
    public HybridRetriever Retriever { get; }

    public static MemoryPartition Partition(string user = "ann", string bot = "elena", string tenant = "default") => new(tenant, bot, user);

    public Task<MemoryRecord> WriteAsync(MemoryPartition partition, string text, PrivacyLevel privacy = PrivacyLevel.DirectMessage, string channel = "dm",
        string? speaker = null) =>
        Writer.WriteAsync(new NewMemory(partition, channel, privacy, speaker ?? partition.UserId, text, DateTimeOffset.UtcNow)).AsTask();

    public async Task<IReadOnlyList<string>> RecallAsync(RecallScope scope, string query, RetrievalMode mode = RetrievalMode.Hybrid, int max = 10) =>
        (await Retriever.RetrieveAsync(new MemoryQuery(scope, query) { Mode = mode, MaxResults = max })).Hits.Select(h => h.Record.Text).ToList();

    /// <summary>
    /// Writes a few memories of other people, so that the test's words are rare in the database as they are in a real
    /// one (BM25 gives a word found in half the memories or more no weight, and the store drops such matches).
    /// </summary>
    public async Task SeedOtherPeopleAsync()
    {
        string[] lines =
        [
            "The train to Leeds was delayed again.", "I repainted the kitchen yellow.", "My cousin is getting married in June.",
            "We watched a documentary about volcanoes.", "The printer at work jammed twice.", "I booked a dentist appointment for Friday.",
            "Chess club meets on Wednesdays now.", "I found an old photo album in the attic.",
        ];
        for (var i = 0; i < lines.Length; i++)
        {
            await WriteAsync(Partition("other-" + (i % 3)), lines[i]);
        }
    }

    public void Dispose() => _dispose?.Invoke();

    private static SqliteDatabase OpenSqlite(string path)
    {
        var database = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        database.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        return database;
    }
}
