using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Perfolizer.Horology;
using Perfolizer.Mathematics.OutlierDetection;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.UserData;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// Forgetting one person on a desktop database: <see cref="Messages"/> messages of 10 people (one conversation each),
/// a usage row per turn, a memory (384-dimension vector, FTS5 entry) per message of the person. Each operation runs on
/// a fresh copy of the seeded file (copied outside the measurement).
/// </summary>
[Config(typeof(ForgetConfig))]
public class ForgetBenchmarks
{
    private const int People = 10;
    private static readonly string Person = "person-3";

    private string _template = null!;
    private string _path = null!;
    private SqliteDatabase _db = null!;
    private UserDataService _service = null!;

    [Params(10_000, 100_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(Path.GetTempPath(), "we-forget-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        _template = Path.Combine(directory, "template.db");
        _path = Path.Combine(directory, "we.db");
        Seed(_template, Messages);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_template)!, recursive: true);
    }

    /// <summary>A fresh copy of the seeded database and the erasure wired on it (the engine's participants and finisher).</summary>
    [IterationSetup(Target = nameof(Erase))]
    public void Fresh() => Open(vacuum: true);

    [IterationSetup(Target = nameof(EraseWithoutVacuum))]
    public void FreshNoVacuum() => Open(vacuum: false);

    [IterationSetup(Target = nameof(DeleteRowsOnly))]
    public void FreshPlain() => Open(vacuum: false);

    [IterationCleanup]
    public void Close()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Baseline: the person's rows deleted with plain DELETEs in one transaction (no secure delete, FTS purge, VACUUM or WAL truncation).</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> DeleteRowsOnly()
    {
        await using var connection = await _db.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$user", Person);
        command.CommandText = """
            DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE user_id = $user);
            DELETE FROM conversations WHERE user_id = $user;
            DELETE FROM memories WHERE partition_id IN (SELECT id FROM memory_partitions WHERE user_id = $user);
            DELETE FROM memory_partitions WHERE user_id = $user;
            UPDATE usage_ledger SET user_id = 'erased-0' WHERE user_id = $user;
            """;
        var rows = await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return rows;
    }

    /// <summary>The erasure without its VACUUM: secure delete, FTS5 optimize, WAL checkpoint (truncate).</summary>
    [Benchmark]
    public async Task<long> EraseWithoutVacuum() => (await _service.EraseAsync(new UserDataScope("default", Person))).TotalRows;

    /// <summary>The erasure as <c>memory forget</c> runs it: secure delete, FTS5 optimize, VACUUM, WAL checkpoint (truncate).</summary>
    [Benchmark]
    public async Task<long> Erase() => (await _service.EraseAsync(new UserDataScope("default", Person))).TotalRows;

    private void Open(bool vacuum)
    {
        SqliteConnection.ClearAllPools();
        File.Copy(_template, _path, overwrite: true);
        _db = new SqliteDatabase(new SqliteStoreOptions { Path = _path, Synchronous = "normal" });
        _db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        var conversations = new SqliteConversationStore(_db, TimeProvider.System);
        var ledger = new SqliteUsageLedger(_db, NullLogger<SqliteUsageLedger>.Instance);
        var memories = new SqliteMemoryStore(_db, TimeProvider.System);
        var indexes = new VectorIndexRegistry(memories, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        _service = new UserDataService(
            [conversations, ledger, new MemoryUserData(memories, memories, indexes)],
            [conversations],
            [new SqliteErasureFinisher(_db, vacuum)],
            new InProcessTurnDispatcher(4, 100),
            TimeProvider.System,
            NullLogger<UserDataService>.Instance);
    }

    /// <summary>Writes the database in one transaction with the engine's schema: conversations, messages, usage rows, memories with vectors and FTS5 entries.</summary>
    private static void Seed(string path, int messages)
    {
        using (var db = new SqliteDatabase(new SqliteStoreOptions { Path = path, Synchronous = "normal" }))
        {
            db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var random = new Random(11);
        var vector = new byte[384 * 4];
        var perPerson = messages / People;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var p = 0; p < People; p++)
        {
            var user = "person-" + p.ToString(CultureInfo.InvariantCulture);
            var conversation = Scalar(connection, transaction,
                "INSERT INTO conversations (tenant_id, bot_id, user_id, channel_id, privacy, created_at) VALUES ('default', 'elena', $u, 'dm', 0, $now) RETURNING id;",
                ("$u", user), ("$now", now));
            var partition = Scalar(connection, transaction,
                "INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ('default', 'elena', $u) RETURNING id;", ("$u", user));
            using var message = Command(connection, transaction,
                "INSERT INTO messages (conversation_id, role, content, created_at, token_count) VALUES ($c, $role, $text, $now, 40);");
            using var usage = Command(connection, transaction, """
                INSERT INTO usage_ledger (ts, tenant_id, bot_id, user_id, task, model, provider, prompt_tokens, completion_tokens, cached_tokens,
                    tokens_estimated, cost_usd, latency_ms, outcome) VALUES ($now, 'default', 'elena', $u, 'chat', 'm', 'p', 900, 60, 0, 0, '0.00012', 800, 'ok');
                """);
            using var memory = Command(connection, transaction, """
                INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, token_count,
                    embedding_model, embedding_dims, embedding) VALUES ($p, 'dm', 0, $u, $text, NULL, $now, $now, 40, 'minilm', 384, $v);
                """);
            for (var i = 0; i < perPerson; i++)
            {
                var role = i % 2 == 0 ? MessageRole.User : MessageRole.Assistant;
                var text = SeedText.Message(i, role) + " " + user;
                Run(message, ("$c", conversation), ("$role", (int)role), ("$text", text), ("$now", now + i));
                if (role == MessageRole.User)
                {
                    Run(usage, ("$now", now + i), ("$u", user));
                    random.NextBytes(vector);
                    Run(memory, ("$p", partition), ("$u", user), ("$text", text), ("$now", now + i), ("$v", vector));
                }
            }
        }

        transaction.Commit();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        checkpoint.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Run(SqliteCommand command, params (string Name, object Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)command.ExecuteScalar()!;
    }

    /// <summary>One erasure per iteration (each on a fresh copy), 3 warm-up and 30 measured, outliers kept.</summary>
    private sealed class ForgetConfig : ManualConfig
    {
        public ForgetConfig()
        {
            AddJob(Job.Default
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithWarmupCount(3)
                .WithIterationCount(30)
                .WithOutlierMode(OutlierMode.DontRemove)
                .WithId("Forget"));
            AddColumn(StatisticColumn.P95, StatisticColumn.Min, StatisticColumn.Max);
            WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond));
            WithOptions(ConfigOptions.DisableLogFile);
        }
    }
}
