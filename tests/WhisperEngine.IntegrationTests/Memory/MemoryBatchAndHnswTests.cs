using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Hnsw;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>Batch writes into a real SQLite file, and retrieval over an HNSW-indexed partition, with the real MiniLM model.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class MemoryBatchAndHnswTests(MiniLmFixture miniLm) : IDisposable
{
    private static readonly TiktokenTokenCounter Tokens = new(warmUp: false);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static NewMemory Memory(MemoryPartition partition, string text, PrivacyLevel privacy = PrivacyLevel.DirectMessage, string channel = "dm") =>
        new(partition, channel, privacy, partition.UserId, text, DateTimeOffset.UtcNow);

    [Fact]
    public async Task WriteMany_Batch_StoredInOrderSearchableAndDurable()
    {
        var ann = MemoryHarness.Partition("ann");
        string[] texts =
        [
            "I adopted a grey kitten called Nimbus.", "My brother Jonas moved to Bergen.", "I hate coriander.",
            "The pottery class is on Thursdays.", "We went kayaking on the lake at dawn.",
        ];
        using (var memory = new MemoryHarness(_dir.File("we.db"), miniLm.Embedder))
        {
            var records = await memory.Writer.WriteManyAsync(texts.Select(t => Memory(ann, t)).ToList());

            Assert.Equal(texts, records.Select(r => r.Text));
            Assert.True(records.Zip(records.Skip(1)).All(p => p.First.Id < p.Second.Id), "ids follow the input order");
            Assert.All(records, r => Assert.True(r.TokenCount > 0));
        }

        SqliteConnection.ClearAllPools();
        using var reopened = new MemoryHarness(_dir.File("we.db"), miniLm.Embedder);
        var scope = new RecallScope(ann, "dm", PrivacyLevel.DirectMessage);
        Assert.Equal(5, await reopened.Store.CountAsync(ann));
        Assert.Equal("I adopted a grey kitten called Nimbus.", (await reopened.RecallAsync(scope, "What is my cat called?", RetrievalMode.Dense))[0]);
        Assert.Equal("My brother Jonas moved to Bergen.", (await reopened.RecallAsync(scope, "Bergen", RetrievalMode.Keyword))[0]);
    }

    [Fact]
    public async Task AddMany_RowFailsMidBatch_NothingOfTheBatchStoredAndThePartitionStillWritable()
    {
        using var memory = new MemoryHarness(_dir.File("we.db"), miniLm.Embedder);
        var bob = MemoryHarness.Partition("bob");
        var good = Memory(bob, "I play the trumpet in a brass band.");

        // A memory without a speaker breaks the NOT NULL constraint on the third row: the whole batch rolls back,
        // including the partition it created.
        var broken = good with { Speaker = null!, Text = "broken" };
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await memory.Store.AddManyAsync([(good, 5, null), (good with { Text = "second" }, 5, null), (broken, 5, null)]));
        Assert.Equal(0, await memory.Store.CountAsync(bob));

        var stored = await memory.Writer.WriteAsync(good);
        Assert.Equal(1, await memory.Store.CountAsync(bob));
        Assert.Equal(good.Text, stored.Text);
    }

    [Fact]
    public async Task Retrieve_HnswPartition_SameTopHitsAsExactAndPrivacyHolds()
    {
        var ann = MemoryHarness.Partition("ann");
        var path = _dir.File("hnsw.db");
        using var database = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        database.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        var store = new SqliteMemoryStore(database, TimeProvider.System);
        var options = new MemoryOptions();
        var exactIndexes = new VectorIndexRegistry(store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        var hnswIndexes = new VectorIndexRegistry(store,
            new HnswVectorIndexFactory(new HnswOptions { MinimumPartitionSize = 100 }, NullLogger<HnswVectorIndex>.Instance),
            NullLogger<VectorIndexRegistry>.Instance);
        var writer = new MemoryWriter(store, miniLm.Embedder, Tokens, hnswIndexes, options, NullLogger<MemoryWriter>.Instance);

        // 300 varied memories, a third of them said in a public channel.
        string[] people = ["Maya", "Jonas", "Priya", "Tom", "Aisha", "Luca", "Hannah", "Diego", "Mei", "Oscar"];
        string[] things = ["baking bread", "climbing", "the cello", "chess", "a trip to Kyoto", "gardening", "a new job", "a marathon", "painting", "a puppy"];
        string[] feelings = ["excited", "nervous", "proud", "tired", "happy"];
        var memories = new List<NewMemory>();
        for (var i = 0; i < 300; i++)
        {
            var text = $"{people[i % 10]} told me about {things[(i / 10) % 10]} and I felt {feelings[(i / 100) % 5]} (note {i}).";
            memories.Add(i % 3 == 0 ? Memory(ann, text, PrivacyLevel.PublicChannel, "general") : Memory(ann, text));
        }

        await writer.WriteManyAsync(memories);
        var model = writer.Model;
        var hnsw = (HnswVectorIndex)await hnswIndexes.GetAsync(ann, model);
        await hnsw.WaitForGraphAsync();
        Assert.True(hnsw.HasGraph);

        // A write after the build reaches the graph.
        var late = await writer.WriteAsync(Memory(ann, "My grandmother Ingrid turns ninety in Reykjavik next week."));

        var exact = new HybridRetriever(store, miniLm.Embedder, exactIndexes, options, TimeProvider.System, NullLogger<HybridRetriever>.Instance);
        var approximate = new HybridRetriever(store, miniLm.Embedder, hnswIndexes, options, TimeProvider.System, NullLogger<HybridRetriever>.Instance);
        var dm = new RecallScope(ann, "dm", PrivacyLevel.DirectMessage);
        var general = new RecallScope(ann, "general", PrivacyLevel.PublicChannel);
        foreach (var question in new[] { "What did Priya say about chess?", "Who is going to Kyoto?", "grandmother's birthday in Iceland" })
        {
            var expected = await exact.RetrieveAsync(new MemoryQuery(dm, question) { Mode = RetrievalMode.Dense, MaxResults = 5 });
            var actual = await approximate.RetrieveAsync(new MemoryQuery(dm, question) { Mode = RetrievalMode.Dense, MaxResults = 5 });
            Assert.Equal(expected.Hits[0].Record.Id, actual.Hits[0].Record.Id);

            var inPublic = await approximate.RetrieveAsync(new MemoryQuery(general, question) { MaxResults = 20 });
            Assert.NotEmpty(inPublic.Hits);
            Assert.All(inPublic.Hits, h => Assert.Equal(PrivacyLevel.PublicChannel, h.Record.Privacy));
        }

        var grandmother = await approximate.RetrieveAsync(new MemoryQuery(dm, "grandmother's birthday in Iceland") { Mode = RetrievalMode.Dense, MaxResults = 1 });
        Assert.Equal(late.Id, grandmother.Hits[0].Record.Id);
        hnswIndexes.Evict(ann);
    }
}
