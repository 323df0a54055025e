using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Sqlite.Consolidation;
using WhisperEngine.Memory.Sqlite.Facts;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Conformance.Backends;

/// <summary>The SQLite memory stores on a temp file.</summary>
public sealed class SqliteMemoryBackend : MemoryBackend
{
    private readonly TempDirectory? _dir;
    private readonly string _path;
    private readonly SqliteDatabase _db;

    public SqliteMemoryBackend()
        : this(new TempDirectory(), null)
    {
    }

    private SqliteMemoryBackend(TempDirectory? owned, string? path)
    {
        _dir = owned;
        _path = path ?? owned!.File("memory.db");
        _db = new SqliteDatabase(new SqliteStoreOptions { Path = _path });
        _db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        Memories = new SqliteMemoryStore(_db, TimeProvider.System);
        Facts = new SqliteFactStore(_db, TimeProvider.System);
        Consolidations = new SqliteConsolidationStore(_db, TimeProvider.System);
        Relationships = new SqliteRelationshipStore(_db);
    }

    public override IMemoryStore Memories { get; }

    public override IFactStore Facts { get; }

    public override IConsolidationStore Consolidations { get; }

    public override IRelationshipStore Relationships { get; }

    public override MemoryBackend Reopen() => new SqliteMemoryBackend(null, _path);

    public override ValueTask DisposeAsync()
    {
        _db.Dispose();
        _dir?.Dispose();
        return ValueTask.CompletedTask;
    }
}
