using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>
/// SQLite files with the engine's default settings (WAL, <c>synchronous=normal</c>) in a work folder; a filled
/// dataset is copied to the cache folder so that the next run starts from it instead of embedding everything again.
/// </summary>
internal sealed class SqliteBenchStore : IBenchStore
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "whisperengine-bench-memory-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string? _cache;
    private readonly Dictionary<string, SqliteDatabase> _open = [];

    public SqliteBenchStore(string? cacheDirectory)
    {
        _cache = cacheDirectory;
        Directory.CreateDirectory(_work);
        if (_cache is not null)
        {
            Directory.CreateDirectory(_cache);
        }
    }

    public string Name => "sqlite";

    public IMemoryStore Open(string dataset, out bool filled)
    {
        var path = Path.Combine(_work, dataset + ".db");
        var cached = _cache is null ? null : Path.Combine(_cache, dataset + ".db");
        filled = cached is not null && File.Exists(cached);
        if (filled)
        {
            File.Copy(cached!, path, overwrite: true);
        }

        var db = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        _open[dataset] = db;
        return new SqliteMemoryStore(db, TimeProvider.System);
    }

    public IMemoryStore OpenVariant(string dataset, WhisperEngine.Memory.MemoryOptions options) =>
        new SqliteMemoryStore(_open[dataset], TimeProvider.System, options);

    public bool LinkReplies(string dataset)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _open[dataset].Path }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM memories WHERE reply IS NOT NULL);";
        if ((long)command.ExecuteScalar()! != 0)
        {
            return false;
        }

        // The bot's reply is the next memory of the channel; the FTS5 update trigger re-indexes the answered memory.
        command.CommandText = $"""
            UPDATE memories SET reply = (
                SELECT n.speaker || ': ' || n.text FROM memories n
                WHERE n.partition_id = memories.partition_id AND n.channel_id = memories.channel_id AND n.id > memories.id
                ORDER BY n.id LIMIT 1)
            WHERE speaker = '{SyntheticConversation.User}'
              AND (SELECT n.speaker FROM memories n
                   WHERE n.partition_id = memories.partition_id AND n.channel_id = memories.channel_id AND n.id > memories.id
                   ORDER BY n.id LIMIT 1) = '{SyntheticConversation.Bot}';
            """;
        command.ExecuteNonQuery();
        return true;
    }

    public void Keep(string dataset)
    {
        if (_cache is null || !_open.TryGetValue(dataset, out var db))
        {
            return;
        }

        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db.Path }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        var target = Path.Combine(_cache, dataset + ".db");
        File.Copy(db.Path, target + ".partial", overwrite: true);
        File.Move(target + ".partial", target, overwrite: true);
    }

    public void Dispose()
    {
        foreach (var db in _open.Values)
        {
            db.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }
}
