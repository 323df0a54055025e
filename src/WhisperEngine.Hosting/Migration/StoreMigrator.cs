using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Postgres;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Hosting.Migration;

/// <summary>
/// Copies a desktop SQLite database into PostgreSQL: conversations (matched by their key), messages, memories with
/// their vectors (partitions matched by their key), the usage ledger, facts with their history and extraction marks,
/// consolidations with their links, relationship counters, and topic clusters with their members, in batches of one transaction each. Every copied row
/// records where it came from (source store id and row id), or is matched by its key (extraction marks, consolidation
/// links, relationships), so a re-run after an interruption continues where it stopped and never duplicates. Ends by
/// comparing row counts and content checksums of each table on both sides.
/// </summary>
public sealed partial class StoreMigrator
{
    private static readonly string[] Tables = ["conversations", "messages", "memories", "usage_ledger", "facts", "memory_consolidations", "relationships"];

    public async Task<IReadOnlyList<TableReport>> RunAsync(MigrationOptions options, IMigrationProgress progress, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(options.SqlitePath))
        {
            throw new MigrationException($"There is no SQLite database at {options.SqlitePath}.");
        }

        using var source = new SqliteDatabase(new SqliteStoreOptions { Path = options.SqlitePath });
        source.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        await using var target = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = options.PostgresConnectionString, Schema = options.Schema });
        target.Migrate([PostgresMemoryServiceCollectionExtensions.Module]);

        await using var sqlite = await source.OpenAsync(cancellationToken);
        var storeId = (string)(await Scalar(sqlite, "SELECT value FROM store_meta WHERE key = 'store_id';", cancellationToken))!;
        await RefuseForeignDataAsync(target, storeId, options.Merge, cancellationToken);

        var conversationIds = await CopyConversationsAsync(sqlite, target, storeId, progress, cancellationToken);
        var copiedMessages = await CopyMessagesAsync(sqlite, target, storeId, conversationIds, options, progress, cancellationToken);
        var partitions = await CopyMemoryPartitionsAsync(sqlite, target, cancellationToken);
        var copiedMemories = await CopyMemoriesAsync(sqlite, target, storeId, partitions, options, progress, cancellationToken);
        var copiedUsage = await CopyUsageAsync(sqlite, target, storeId, options, progress, cancellationToken);
        var copiedFacts = await CopyFactsAsync(sqlite, target, storeId, options, progress, cancellationToken);
        var copiedMarks = await CopyExtractionMarksAsync(sqlite, target, progress, cancellationToken);
        var copiedConsolidations = await CopyConsolidationsAsync(sqlite, target, storeId, partitions, options, progress, cancellationToken);
        var copiedSources = await CopyConsolidationSourcesAsync(sqlite, target, storeId, options, progress, cancellationToken);
        var copiedRelationships = await CopyRelationshipsAsync(sqlite, target, storeId, partitions, progress, cancellationToken);
        var clusterPartitions = await ClusterPartitionsAsync(target, storeId, partitions, cancellationToken);
        var copiedClusters = await CopyClustersAsync(sqlite, target, storeId, partitions, clusterPartitions, progress, cancellationToken);

        return
        [
            await VerifyConversationsAsync(sqlite, target, conversationIds.Count, cancellationToken),
            await VerifyMessagesAsync(sqlite, target, storeId, copiedMessages, cancellationToken),
            await VerifyMemoriesAsync(sqlite, target, storeId, copiedMemories, cancellationToken),
            await VerifyUsageAsync(sqlite, target, storeId, copiedUsage, cancellationToken),
            await VerifyFactsAsync(sqlite, target, storeId, copiedFacts, cancellationToken),
            await VerifyExtractionMarksAsync(sqlite, target, copiedMarks, cancellationToken),
            await VerifyConsolidationsAsync(sqlite, target, storeId, copiedConsolidations, cancellationToken),
            await VerifyConsolidationSourcesAsync(sqlite, target, storeId, copiedSources, cancellationToken),
            await VerifyRelationshipsAsync(sqlite, target, storeId, copiedRelationships, cancellationToken),
            await VerifyClustersAsync(sqlite, target, storeId, partitions, clusterPartitions, copiedClusters, cancellationToken),
        ];
    }

    private static async Task RefuseForeignDataAsync(PostgresDatabase target, string storeId, bool merge, CancellationToken cancellationToken)
    {
        if (merge)
        {
            return;
        }

        var foreign = new List<string>();
        foreach (var table in Tables)
        {
            await using var command = target.DataSource.CreateCommand($"SELECT COUNT(*) FROM {table} WHERE origin_store IS DISTINCT FROM $1;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
            var count = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (count > 0)
            {
                foreign.Add($"{count} {table}");
            }
        }

        if (foreign.Count > 0)
        {
            throw new MigrationException(
                $"The target {target.Describe} already holds data that did not come from this SQLite file ({string.Join(", ", foreign)}). " +
                "Pass --merge to add this file's data to it, or choose an empty database or schema.");
        }
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string table, CancellationToken cancellationToken) =>
        (long)(await Scalar(connection, $"SELECT COUNT(*) FROM {table};", cancellationToken))!;

    private static async Task<long> ResumePointAsync(PostgresDatabase target, string table, string storeId, CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand($"SELECT COALESCE(MAX(origin_id), 0) FROM {table} WHERE origin_store = $1;");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlParameter Array<T>(List<T> values, NpgsqlDbType type) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
