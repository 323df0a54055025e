using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Cli.Bench.Locomo;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Hnsw;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Postgres;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// <c>memory-search [--sizes 10000,100000] [--queries 300] [--stores sqlite,postgres] [--locomo DIR] [--postgres CONN]</c>:
/// search latency in one partition of N memories on each store, in the same run. The memories are LoCoMo turns
/// (text, speaker, previous turn as context, their real MiniLM vectors) repeated to N, written in bulk, plus N/10 in
/// nine other partitions; the queries are LoCoMo questions. Per store and size: the index load (first use), then per
/// query, in turn: the query embedding alone, hybrid retrieval as the engine runs it (top 10, query embedding included,
/// the engine's indexes: exact below 20,000 memories, HNSW above), the same with the question's vector computed
/// beforehand (embedding excluded), and the store's keyword search alone (top 50).
/// </summary>
internal static class MemorySearchDriver
{
    private static readonly MemoryPartition Partition = new("bench", "elena", "search");

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (Option(args, "--sizes") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var queryCount = int.Parse(Option(args, "--queries") ?? "300", CultureInfo.InvariantCulture);
        var stores = (Option(args, "--stores") ?? "sqlite,postgres").Split(',');
        var folder = Option(args, "--locomo") ?? Environment.GetEnvironmentVariable("WHISPERENGINE_LOCOMO") ?? "/work/shared/data/locomo";
        var postgres = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("WHISPERENGINE_BENCH_POSTGRES")
            ?? Environment.GetEnvironmentVariable("WHISPERENGINE_TEST_POSTGRES");
        if (stores.Contains("postgres") && postgres is null)
        {
            Console.Error.WriteLine("memory-search: --postgres <connection string> (or WHISPERENGINE_BENCH_POSTGRES) is needed for the postgres store");
            return 2;
        }

        var conversations = LocomoReader.ReadFolder(folder);
        var turns = conversations.SelectMany(c => c.Sessions).SelectMany(s => s.Turns.Select((t, i) => (Turn: t, Previous: i > 0 ? s.Turns[i - 1] : null))).ToList();
        var questions = conversations.SelectMany(c => c.Questions).Where(q => q.Category is >= 1 and <= 4).Select(q => q.Question).ToList();
        using var embedder = new MiniLmEmbeddingGenerator();
        var watch = Stopwatch.StartNew();
        var vectors = new List<float[]>(turns.Count);
        foreach (var chunk in turns.Chunk(64))
        {
            var embedded = await embedder.GenerateAsync(chunk.Select(t => $"{t.Turn.Speaker}: {t.Turn.Text}"));
            vectors.AddRange(embedded.Select(e => e.Vector.ToArray()));
        }

        Console.WriteLine($"memory-search: {turns.Count} LoCoMo turns embedded in {watch.Elapsed.TotalSeconds:0} s; {questions.Count} questions; " +
            $"{queryCount} timed queries per case after 20 untimed; load average {LoadAverage()}");
        using var precomputed = await PrecomputedEmbeddings.CreateAsync(embedder, questions);
        Console.WriteLine("Times in ms, p50 / p95 / p99 of single queries.");
        Console.WriteLine("| store | memories | index load | search, query embedding included | search, embedding excluded | keyword top 50 alone | query embedding alone | load average |");
        Console.WriteLine("|---|---:|---:|---|---|---|---|---:|");
        foreach (var size in sizes)
        {
            foreach (var storeName in stores)
            {
                var rows = Rows(turns, vectors, size);
                await using IBackend backend = storeName == "postgres"
                    ? await PostgresBackend.CreateAsync(postgres!, rows, keep: args.Contains("--keep"))
                    : await SqliteBackend.CreateAsync(rows);
                await MeasureAsync(storeName, size, backend.Store, embedder, precomputed, questions, queryCount);
            }
        }

        Console.WriteLine($"load average at the end {LoadAverage()}");
        return 0;
    }

    private static async Task MeasureAsync(string storeName, int size, IMemoryStore store, MiniLmEmbeddingGenerator embedder,
        PrecomputedEmbeddings precomputed, List<string> questions, int queryCount)
    {
        var options = new MemoryOptions();
        // The engine's vector indexes: exact search below HnswOptions.MinimumPartitionSize (20,000), HNSW above.
        var indexes = new VectorIndexRegistry(store, new HnswVectorIndexFactory(new HnswOptions(), NullLogger<HnswVectorIndex>.Instance),
            NullLogger<VectorIndexRegistry>.Instance);
        var retriever = new HybridRetriever(store, embedder, indexes, options, TimeProvider.System, NullLogger<HybridRetriever>.Instance);
        var withoutEmbedding = new HybridRetriever(store, precomputed, indexes, options, TimeProvider.System, NullLogger<HybridRetriever>.Instance);
        var scope = new RecallScope(Partition, "dm", PrivacyLevel.DirectMessage);
        var load = Stopwatch.StartNew();
        await indexes.GetAsync(Partition, retriever.Model);
        var loadMs = load.Elapsed.TotalMilliseconds;
        var embed = new List<double>();
        var hybrid = new List<double>();
        var search = new List<double>();
        var keyword = new List<double>();
        var recalledTotal = 0;
        for (var i = -20; i < queryCount; i++)
        {
            var question = questions[(i + 20) * 7 % questions.Count];
            var t0 = Stopwatch.GetTimestamp();
            await embedder.GenerateAsync([question]);
            var t1 = Stopwatch.GetTimestamp();
            var recalled = await retriever.RetrieveAsync(new MemoryQuery(scope, question));
            var t2 = Stopwatch.GetTimestamp();
            var again = await withoutEmbedding.RetrieveAsync(new MemoryQuery(scope, question));
            var t3 = Stopwatch.GetTimestamp();
            await store.KeywordSearchAsync(scope, question, options.CandidatePool);
            var t4 = Stopwatch.GetTimestamp();
            if (again.Hits.Count != recalled.Hits.Count)
            {
                throw new InvalidOperationException($"{storeName} at {size:N0}: '{question}' recalled {recalled.Hits.Count} memories, " +
                    $"{again.Hits.Count} with the precomputed vector.");
            }

            recalledTotal += recalled.Hits.Count;

            if (i >= 0)
            {
                embed.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                hybrid.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                search.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                keyword.Add(Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds);
            }
        }

        if (recalledTotal == 0)
        {
            throw new InvalidOperationException($"{storeName} at {size:N0}: no query recalled anything; the seed did not reach the store.");
        }

        Console.WriteLine($"| {storeName} | {size:N0} | {Stats.F(loadMs, "0")} | {Triple(hybrid)} | {Triple(search)} | {Triple(keyword)} | {Triple(embed)} | {LoadAverage()} |");
    }

    private static string Triple(List<double> values)
    {
        var stats = new Stats(values);
        return $"{Stats.F(stats.Median)} / {Stats.F(stats.P95)} / {Stats.F(stats.P99)}";
    }

    /// <summary>Memory i of the bench partition is turn i mod T (numbered from its second copy on), then a tenth as many for nine other people.</summary>
    private static IEnumerable<SeedRow> Rows(List<(LocomoTurn Turn, LocomoTurn? Previous)> turns, List<float[]> vectors, int size)
    {
        for (var i = 0; i < size + (size / 10); i++)
        {
            var t = i % turns.Count;
            var copy = i / turns.Count;
            var partition = i < size ? Partition : Partition with { UserId = "other-" + (i % 9).ToString(CultureInfo.InvariantCulture) };
            var (turn, previous) = turns[t];
            yield return new SeedRow(partition, turn.Speaker, copy == 0 ? turn.Text : $"{turn.Text} ({copy})",
                previous is null ? null : $"{previous.Speaker}: {previous.Text}", 1_700_000_000_000L + (i * 60_000L), vectors[t]);
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record SeedRow(MemoryPartition Partition, string Speaker, string Text, string? Context, long At, float[] Vector);

    private interface IBackend : IAsyncDisposable
    {
        IMemoryStore Store { get; }
    }

    /// <summary>A temp SQLite file (synchronous normal), filled in one transaction by the store's own insert.</summary>
    private sealed class SqliteBackend(string home, SqliteDatabase db) : IBackend
    {
        public IMemoryStore Store { get; } = new SqliteMemoryStore(db, TimeProvider.System);

        public static async Task<SqliteBackend> CreateAsync(IEnumerable<SeedRow> rows)
        {
            var home = BenchEnvironment.CreateTempHome("memory-search");
            var db = new SqliteDatabase(new SqliteStoreOptions { Path = Path.Combine(home, "whisperengine.db"), Synchronous = "normal" });
            db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
            var backend = new SqliteBackend(home, db);
            await backend.SeedAsync(rows);
            return backend;
        }

        private async Task SeedAsync(IEnumerable<SeedRow> rows)
        {
            // One write through the store per partition creates it; the rest go in one transaction.
            var created = new HashSet<MemoryPartition>();
            await using var connection = await db.OpenAsync();
            await using var transaction = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, token_count,
                    embedding_model, embedding_dims, embedding)
                VALUES ((SELECT id FROM memory_partitions WHERE tenant_id = $t AND bot_id = $b AND user_id = $u), 'dm', 0, $speaker, $text,
                    $context, $at, $at, 30, $model, 384, $vector);
                """;
            foreach (var row in rows)
            {
                if (created.Add(row.Partition))
                {
                    await using var partition = connection.CreateCommand();
                    partition.Transaction = transaction;
                    partition.CommandText = "INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($t, $b, $u);";
                    partition.Parameters.AddWithValue("$t", row.Partition.TenantId);
                    partition.Parameters.AddWithValue("$b", row.Partition.BotId);
                    partition.Parameters.AddWithValue("$u", row.Partition.UserId);
                    await partition.ExecuteNonQueryAsync();
                }

                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$t", row.Partition.TenantId);
                insert.Parameters.AddWithValue("$b", row.Partition.BotId);
                insert.Parameters.AddWithValue("$u", row.Partition.UserId);
                insert.Parameters.AddWithValue("$speaker", row.Speaker);
                insert.Parameters.AddWithValue("$text", row.Text);
                insert.Parameters.AddWithValue("$context", (object?)row.Context ?? DBNull.Value);
                insert.Parameters.AddWithValue("$at", row.At);
                insert.Parameters.AddWithValue("$model", MiniLmEmbeddingGenerator.ModelIdFor(MiniLmEmbeddingGenerator.DefaultPrecision));
                insert.Parameters.AddWithValue("$vector", MemoryMarshal.AsBytes(row.Vector.AsSpan()).ToArray());
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        public ValueTask DisposeAsync()
        {
            db.Dispose();
            SqliteConnection.ClearAllPools();
            BenchEnvironment.DeleteQuietly(home);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A temp schema, filled by binary COPY (one statement, so the statistics trigger runs once), vacuumed and analysed.</summary>
    private sealed class PostgresBackend(PostgresDatabase db, string schema, bool keep) : IBackend
    {
        public IMemoryStore Store { get; } = new PostgresMemoryStore(db, TimeProvider.System);

        public static async Task<PostgresBackend> CreateAsync(string connectionString, IEnumerable<SeedRow> rows, bool keep)
        {
            var schema = "bench_search_" + Guid.NewGuid().ToString("N")[..8];
            var db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema });
            db.Migrate([PostgresMemoryServiceCollectionExtensions.Module]);
            var backend = new PostgresBackend(db, schema, keep);
            if (keep)
            {
                Console.WriteLine($"keeping schema {schema}");
            }

            await backend.SeedAsync(rows);
            return backend;
        }

        private async Task SeedAsync(IEnumerable<SeedRow> rows)
        {
            var list = rows.ToList();
            var partitions = new Dictionary<MemoryPartition, long>();
            foreach (var partition in list.Select(r => r.Partition).Distinct())
            {
                await using var command = db.DataSource.CreateCommand("INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($1, $2, $3) RETURNING id;");
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.TenantId });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.BotId });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.UserId });
                partitions[partition] = (long)(await command.ExecuteScalarAsync())!;
            }

            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                await using var import = await connection.BeginBinaryImportAsync("""
                    COPY memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, token_count,
                        embedding_model, embedding_dims, embedding) FROM STDIN (FORMAT BINARY)
                    """);
                foreach (var row in list)
                {
                    await import.StartRowAsync();
                    await import.WriteAsync(partitions[row.Partition], NpgsqlDbType.Bigint);
                    await import.WriteAsync("dm", NpgsqlDbType.Text);
                    await import.WriteAsync((short)0, NpgsqlDbType.Smallint);
                    await import.WriteAsync(row.Speaker, NpgsqlDbType.Text);
                    await import.WriteAsync(row.Text, NpgsqlDbType.Text);
                    if (row.Context is null)
                    {
                        await import.WriteNullAsync();
                    }
                    else
                    {
                        await import.WriteAsync(row.Context, NpgsqlDbType.Text);
                    }

                    await import.WriteAsync(row.At, NpgsqlDbType.Bigint);
                    await import.WriteAsync(row.At, NpgsqlDbType.Bigint);
                    await import.WriteAsync(30, NpgsqlDbType.Integer);
                    await import.WriteAsync(MiniLmEmbeddingGenerator.ModelIdFor(MiniLmEmbeddingGenerator.DefaultPrecision), NpgsqlDbType.Text);
                    await import.WriteAsync(384, NpgsqlDbType.Integer);
                    await import.WriteAsync(MemoryMarshal.AsBytes(row.Vector.AsSpan()).ToArray(), NpgsqlDbType.Bytea);
                }

                await import.CompleteAsync();
            }

            foreach (var table in new[] { "memories", "memory_terms", "memory_partitions" })
            {
                await using var vacuum = db.DataSource.CreateCommand($"VACUUM ANALYZE {table};");
                await vacuum.ExecuteNonQueryAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!keep)
            {
                await using var command = db.DataSource.CreateCommand($"DROP SCHEMA \"{schema}\" CASCADE;");
                await command.ExecuteNonQueryAsync();
            }

            await db.DisposeAsync();
        }
    }
}
