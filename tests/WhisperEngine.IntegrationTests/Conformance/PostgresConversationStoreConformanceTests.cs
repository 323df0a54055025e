using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.IntegrationTests.Conformance;

public sealed class PostgresConversationStoreConformanceTests : ConversationStoreConformance
{
    private readonly string _schema = TestServers.NewSchema();
    private readonly List<PostgresDatabase> _databases = [];

    private PostgresDatabase Open()
    {
        var db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = TestServers.Postgres, Schema = _schema });
        db.Migrate();
        _databases.Add(db);
        return db;
    }

    protected override Task<(IConversationStore Store, IUsageLedger Ledger)> CreateAsync()
    {
        var db = Open();
        return Task.FromResult<(IConversationStore, IUsageLedger)>(
            (new PostgresConversationStore(db, TimeProvider.System), new PostgresUsageLedger(db, NullLogger<PostgresUsageLedger>.Instance)));
    }

    protected override Task<IConversationStore> ReopenAsync() => Task.FromResult<IConversationStore>(new PostgresConversationStore(Open(), TimeProvider.System));

    protected override async Task DestroyAsync()
    {
        foreach (var db in _databases)
        {
            await db.DisposeAsync();
        }

        await TestServers.DropSchemaAsync(_schema);
    }
}
