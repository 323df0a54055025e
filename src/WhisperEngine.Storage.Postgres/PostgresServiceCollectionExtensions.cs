using Microsoft.Extensions.DependencyInjection;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Storage.Postgres;

/// <summary>DI registration of the PostgreSQL stores.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers one pooled data source and every store on it. Migrations (the core's, then every registered
    /// <see cref="PostgresMigrationModule"/>) run when it is first resolved.
    /// </summary>
    public static IServiceCollection AddPostgresStores(this IServiceCollection services, PostgresStoreOptions options)
    {
        services.AddSingleton(sp =>
        {
            var db = new PostgresDatabase(options);
            try
            {
                db.Migrate(sp.GetServices<PostgresMigrationModule>());
            }
            catch
            {
                // The container calls this again on the next resolution (every /readyz poll): without closing the
                // failed attempt's pool, each retry would keep its connections open until the server refuses more.
                db.Dispose();
                throw;
            }

            return db;
        });
        services.AddSingleton<PostgresConversationStore>();
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<PostgresConversationStore>());
        services.AddSingleton<PostgresUsageLedger>();
        services.AddSingleton<IUsageLedger>(sp => sp.GetRequiredService<PostgresUsageLedger>());
        // A person's data: exported and erased through these (UserDataService).
        services.AddSingleton<IUserDataParticipant>(sp => sp.GetRequiredService<PostgresConversationStore>());
        services.AddSingleton<IUserConversationLocator>(sp => sp.GetRequiredService<PostgresConversationStore>());
        services.AddSingleton<IUserDataParticipant>(sp => sp.GetRequiredService<PostgresUsageLedger>());
        services.AddSingleton<IStoreHealth, PostgresStoreHealth>();
        return services;
    }
}
