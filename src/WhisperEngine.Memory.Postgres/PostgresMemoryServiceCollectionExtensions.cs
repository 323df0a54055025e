using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Postgres.Consolidation;
using WhisperEngine.Memory.Postgres.Facts;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.UserData;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Memory.Postgres;

/// <summary>DI registration of the PostgreSQL memory store.</summary>
public static class PostgresMemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresMemoryStore"/> as the <see cref="IMemoryStore"/>, on the <see cref="PostgresDatabase"/>
    /// (the one pooled data source) that <c>AddPostgresStores</c> registers, and its schema scripts as a migration
    /// module of that database; also as the <see cref="IMemoryCatalog"/> and <see cref="IMemoryClusterStore"/>, and <see cref="MemoryUserData"/> as the
    /// user-data participant of memory; <see cref="PostgresRelationshipStore"/> as the <see cref="IRelationshipStore"/>;
    /// and the fact and consolidation stores, with <see cref="FactUserData"/> as the user-data participant of facts.
    /// When the store is first resolved it logs whether the server offers pgvector, and adds or drops the keyword search
    /// structures of the memory table (<see cref="PostgresMemoryStore.UseKeywordSearch"/>).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="keywordSearchInStore">
    /// Whether the keyword search runs in PostgreSQL (<c>memory.keyword_index: store</c>); without it the memory table keeps
    /// no tsvector, GIN index or term statistics.
    /// </param>
    public static IServiceCollection AddPostgresMemoryStore(this IServiceCollection services, bool keywordSearchInStore = true)
    {
        services.AddSingleton(Module);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var db = sp.GetRequiredService<PostgresDatabase>();
            var logger = (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<PostgresMemoryStore>();
            var version = PgVectorProbe.AvailableVersion(db);
            if (version is null)
            {
                PostgresMemoryLog.VectorExtensionMissing(logger, db.Describe);
            }
            else
            {
                PostgresMemoryLog.VectorExtensionAvailable(logger, version, db.Describe);
            }

            var store = new PostgresMemoryStore(db, sp.GetRequiredService<TimeProvider>());
            if (store.UseKeywordSearch(keywordSearchInStore) is { } change)
            {
                PostgresMemoryLog.KeywordSearchChanged(logger, keywordSearchInStore ? "added" : "dropped", db.Describe, change.Indexed, (long)change.Took.TotalMilliseconds);
            }

            return store;
        });
        services.TryAddSingleton<IMemoryStore>(sp => sp.GetRequiredService<PostgresMemoryStore>());
        services.TryAddSingleton<IMemoryCatalog>(sp => sp.GetRequiredService<PostgresMemoryStore>());
        services.TryAddSingleton<IMemoryClusterStore>(sp => sp.GetRequiredService<PostgresMemoryStore>());
        // A person's memories are exported and erased with the rest of their data (UserDataService).
        // Before memories: deleting a memory partition deletes its relationship counters too, uncounted.
        services.AddSingleton<IUserDataParticipant, RelationshipUserData>();
        services.AddSingleton<IUserDataParticipant, MemoryUserData>();
        services.TryAddSingleton<IRelationshipStore, PostgresRelationshipStore>();
        services.TryAddSingleton<IFactStore, PostgresFactStore>();
        services.TryAddSingleton<IConsolidationStore, PostgresConsolidationStore>();
        services.AddSingleton<IUserDataParticipant, FactUserData>();
        return services;
    }

    /// <summary>The memory schema scripts, for callers that migrate a <see cref="PostgresDatabase"/> themselves.</summary>
    public static PostgresMigrationModule Module { get; } = new("memory", typeof(PostgresMemoryStore).Assembly);
}
