using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>DI registration of the SQLite memory store.</summary>
public static class SqliteMemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteMemoryStore"/> as the <see cref="IMemoryStore"/> and <see cref="IMemoryClusterStore"/>, on the <see cref="SqliteDatabase"/> that
    /// <c>AddSqliteStores</c> registers, and its schema scripts as a migration module of that database.
    /// </summary>
    public static IServiceCollection AddSqliteMemoryStore(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteMemoryStore>();
        services.TryAddSingleton<IMemoryStore>(sp => sp.GetRequiredService<SqliteMemoryStore>());
        services.TryAddSingleton<IMemoryClusterStore>(sp => sp.GetRequiredService<SqliteMemoryStore>());
        return services;
    }

    /// <summary>The memory schema scripts, for callers that migrate a <see cref="SqliteDatabase"/> themselves.</summary>
    public static SqliteMigrationModule Module { get; } = new("memory", typeof(SqliteMemoryStore).Assembly);
}
