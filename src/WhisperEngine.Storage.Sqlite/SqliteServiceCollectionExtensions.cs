using Microsoft.Extensions.DependencyInjection;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>DI registration of the SQLite stores.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>Registers the SQLite database and every store on it. Migrations (the core's, then every registered <see cref="SqliteMigrationModule"/>) run when the database is first resolved.</summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services, SqliteStoreOptions options)
    {
        services.AddSingleton(sp =>
        {
            var db = new SqliteDatabase(options);
            db.Migrate(sp.GetServices<SqliteMigrationModule>());
            return db;
        });
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IUsageLedger, SqliteUsageLedger>();
        services.AddSingleton<IStoreHealth, SqliteStoreHealth>();
        return services;
    }
}
