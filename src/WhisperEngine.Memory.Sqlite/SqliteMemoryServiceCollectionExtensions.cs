using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Sqlite.Consolidation;
using WhisperEngine.Memory.Sqlite.Facts;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.UserData;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>DI registration of the SQLite memory store.</summary>
public static class SqliteMemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteMemoryStore"/> as the <see cref="IMemoryStore"/> and <see cref="SqliteRelationshipStore"/>
    /// as the <see cref="IRelationshipStore"/>, on the <see cref="SqliteDatabase"/> that <c>AddSqliteStores</c> registers,
    /// and their schema scripts as a migration module of that database; the store also as the <see cref="IMemoryCatalog"/> and <see cref="IMemoryClusterStore"/>,
    /// <see cref="MemoryUserData"/> as the user-data participant of memory; and the fact and consolidation stores,
    /// with <see cref="FactUserData"/> as the user-data participant of facts.
    /// </summary>
    public static IServiceCollection AddSqliteMemoryStore(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteMemoryStore>();
        services.TryAddSingleton<IMemoryStore>(sp => sp.GetRequiredService<SqliteMemoryStore>());
        services.TryAddSingleton<IMemoryCatalog>(sp => sp.GetRequiredService<SqliteMemoryStore>());
        services.TryAddSingleton<IRelationshipStore, SqliteRelationshipStore>();
        // A person's memories are exported and erased with the rest of their data (UserDataService).
        // Before memories: deleting a memory partition deletes its relationship counters too, uncounted.
        services.AddSingleton<IUserDataParticipant, RelationshipUserData>();
        services.AddSingleton<IUserDataParticipant, MemoryUserData>();
        services.TryAddSingleton<IFactStore, SqliteFactStore>();
        services.TryAddSingleton<IConsolidationStore, SqliteConsolidationStore>();
        services.AddSingleton<IUserDataParticipant, FactUserData>();
        services.TryAddSingleton<IMemoryClusterStore>(sp => sp.GetRequiredService<SqliteMemoryStore>());
        return services;
    }

    /// <summary>The memory schema scripts, for callers that migrate a <see cref="SqliteDatabase"/> themselves.</summary>
    public static SqliteMigrationModule Module { get; } = new("memory", typeof(SqliteMemoryStore).Assembly);
}
