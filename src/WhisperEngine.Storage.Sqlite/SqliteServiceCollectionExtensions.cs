using Microsoft.Extensions.DependencyInjection;
using WhisperEngine.Core.Privacy;
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
        services.AddSingleton<SqliteConversationStore>();
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<SqliteConversationStore>());
        services.AddSingleton<SqliteUsageLedger>();
        services.AddSingleton<IUsageLedger>(sp => sp.GetRequiredService<SqliteUsageLedger>());
        services.AddSingleton<IStoreHealth, SqliteStoreHealth>();
        // A person's data: exported and erased through these (UserDataService); the finisher runs VACUUM and empties the WAL.
        services.AddSingleton<IUserDataParticipant>(sp => sp.GetRequiredService<SqliteConversationStore>());
        services.AddSingleton<IUserConversationLocator>(sp => sp.GetRequiredService<SqliteConversationStore>());
        services.AddSingleton<IUserDataParticipant>(sp => sp.GetRequiredService<SqliteUsageLedger>());
        services.AddSingleton<IErasureFinisher>(sp => new SqliteErasureFinisher(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
