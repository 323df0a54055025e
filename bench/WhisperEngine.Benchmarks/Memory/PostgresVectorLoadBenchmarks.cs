using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Records;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// Loading one partition's vectors from PostgreSQL (what a vector index does on first use), stored as float32 bytea
/// (the store's own <c>GetVectorsAsync</c>) or as <c>real[]</c> (the same rows in a copy of the table with that column
/// type, read by the same query shape). Needs a server: WHISPERENGINE_BENCH_POSTGRES or WHISPERENGINE_TEST_POSTGRES.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class PostgresVectorLoadBenchmarks
{
    private const int Dimensions = 384;
    private static readonly MemoryPartition Partition = new("bench", "elena", "load");
    private static readonly EmbeddingModelId Model = new("all-MiniLM-L6-v2", Dimensions);
    private readonly string _schema = "bench_vectors_" + Guid.NewGuid().ToString("N")[..8];
    private PostgresDatabase _db = null!;
    private PostgresMemoryStore _store = null!;

    [Params(10_000, 100_000)]
    public int Vectors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var connection = Environment.GetEnvironmentVariable("WHISPERENGINE_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("WHISPERENGINE_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Set WHISPERENGINE_BENCH_POSTGRES to a PostgreSQL connection string (or `source scripts/test-servers.sh start`).");
        _db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connection, Schema = _schema });
        _db.Migrate([PostgresMemoryServiceCollectionExtensions.Module]);
        _store = new PostgresMemoryStore(_db, TimeProvider.System);
        SeedAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using (var command = _db.DataSource.CreateCommand($"DROP SCHEMA \"{_schema}\" CASCADE;"))
        {
            command.ExecuteNonQuery();
        }

        _db.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Bytea() => (await _store.GetVectorsAsync(Partition, Model)).Count;

    [Benchmark]
    public async Task<int> RealArray()
    {
        await using var command = _db.DataSource.CreateCommand("""
            SELECT m.id, m.channel_id, m.privacy, m.embedding FROM memories_real m JOIN memory_partitions p ON p.id = m.partition_id
            WHERE p.tenant_id = $1 AND p.bot_id = $2 AND p.user_id = $3 AND m.embedding_model = $4 AND m.embedding_dims = $5
            ORDER BY m.id;
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Partition.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Partition.BotId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Partition.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Model.Model });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Model.Dimensions });
        var entries = new List<WhisperEngine.Memory.Indexing.MemoryVectorEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new(reader.GetInt64(0), reader.GetString(1), (PrivacyLevel)reader.GetInt16(2), reader.GetFieldValue<float[]>(3)));
        }

        return entries.Count;
    }

    /// <summary>
    /// Rows like the store writes (a sentence of text, a context, the generated tsvector), copied in binary; the same
    /// vectors as real[] beside them, joined into a twin of the table; both vacuumed and analysed.
    /// </summary>
    private async Task SeedAsync()
    {
        var random = new Random(7);
        var first = await _store.AddAsync(new NewMemory(Partition, "dm", PrivacyLevel.DirectMessage, "ann", "first", DateTimeOffset.UtcNow), 1, null);
        long partitionId;
        await using (var command = _db.DataSource.CreateCommand("SELECT id FROM memory_partitions; CREATE TABLE vectors_real (id BIGINT PRIMARY KEY, embedding REAL[]);"))
        {
            partitionId = (long)(await command.ExecuteScalarAsync())!;
        }

        await using (var rows = await _db.DataSource.OpenConnectionAsync())
        await using (var reals = await _db.DataSource.OpenConnectionAsync())
        {
            await using var import = await rows.BeginBinaryImportAsync("""
                COPY memories (id, partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, token_count,
                    embedding_model, embedding_dims, embedding) FROM STDIN (FORMAT BINARY)
                """);
            await using var importReals = await reals.BeginBinaryImportAsync("COPY vectors_real (id, embedding) FROM STDIN (FORMAT BINARY)");
            var vector = new float[Dimensions];
            for (var i = 0; i < Vectors; i++)
            {
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] = (float)(random.NextDouble() - 0.5);
                }

                var id = first.Id + 1 + i;
                await import.StartRowAsync();
                await import.WriteAsync(id, NpgsqlDbType.Bigint);
                await import.WriteAsync(partitionId, NpgsqlDbType.Bigint);
                await import.WriteAsync("dm", NpgsqlDbType.Text);
                await import.WriteAsync((short)0, NpgsqlDbType.Smallint);
                await import.WriteAsync("ann", NpgsqlDbType.Text);
                await import.WriteAsync(SeedText.Message(i, MessageRole.User), NpgsqlDbType.Text);
                await import.WriteAsync(SeedText.Message(i + 1, MessageRole.Assistant), NpgsqlDbType.Text);
                await import.WriteAsync(1_700_000_000_000L + i, NpgsqlDbType.Bigint);
                await import.WriteAsync(1_700_000_000_000L + i, NpgsqlDbType.Bigint);
                await import.WriteAsync(30, NpgsqlDbType.Integer);
                await import.WriteAsync(Model.Model, NpgsqlDbType.Text);
                await import.WriteAsync(Dimensions, NpgsqlDbType.Integer);
                await import.WriteAsync(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray(), NpgsqlDbType.Bytea);
                await importReals.StartRowAsync();
                await importReals.WriteAsync(id, NpgsqlDbType.Bigint);
                await importReals.WriteAsync(vector, NpgsqlDbType.Array | NpgsqlDbType.Real);
            }

            await import.CompleteAsync();
            await importReals.CompleteAsync();
        }

        await using (var command = _db.DataSource.CreateCommand("""
            CREATE TABLE memories_real AS
            SELECT m.id, m.partition_id, m.channel_id, m.privacy, m.speaker, m.text, m.context, m.occurred_at, m.created_at,
                m.importance, m.access_count, m.last_accessed_at, m.token_count, m.embedding_model, m.embedding_dims,
                v.embedding, m.search
            FROM memories m JOIN vectors_real v ON v.id = m.id;
            ALTER TABLE memories_real ADD PRIMARY KEY (partition_id, id);
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        foreach (var table in new[] { "memories", "memories_real" })
        {
            await using var command = _db.DataSource.CreateCommand($"VACUUM ANALYZE {table};");
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithWarmupCount(3)
                .WithIterationCount(15)
                .WithId("Load"));
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P95);
        }
    }
}
