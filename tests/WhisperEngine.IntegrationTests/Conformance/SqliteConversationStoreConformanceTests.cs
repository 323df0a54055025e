using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Conformance;

public sealed class SqliteConversationStoreConformanceTests : ConversationStoreConformance
{
    private readonly TempDirectory _dir = new();
    private readonly List<SqliteDatabase> _databases = [];

    private SqliteDatabase Open()
    {
        var db = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("we.db") });
        db.Migrate();
        _databases.Add(db);
        return db;
    }

    protected override Task<(IConversationStore Store, IUsageLedger Ledger)> CreateAsync()
    {
        var db = Open();
        return Task.FromResult<(IConversationStore, IUsageLedger)>(
            (new SqliteConversationStore(db, TimeProvider.System), new SqliteUsageLedger(db, NullLogger<SqliteUsageLedger>.Instance)));
    }

    protected override Task<IConversationStore> ReopenAsync() => Task.FromResult<IConversationStore>(new SqliteConversationStore(Open(), TimeProvider.System));

    protected override Task DestroyAsync()
    {
        foreach (var db in _databases)
        {
            db.Dispose();
        }

        _dir.Dispose();
        return Task.CompletedTask;
    }
}
