using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Hosting.Migration;

public sealed partial class StoreMigrator
{
    private const string ConsolidationColumns = "channel_id, privacy, day, summary, occurred_at, created_at, completed_at";

    /// <summary>Copies consolidations in id order; the summary memory is found by its source id among the copied memories.</summary>
    private static async Task<long> CopyConsolidationsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, Dictionary<long, long> partitions,
        MigrationOptions options, IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "memory_consolidations", cancellationToken);
        var last = await ResumePointAsync(target, "memory_consolidations", storeId, cancellationToken);
        var done = (long)(await Scalar(sqlite, $"SELECT COUNT(*) FROM memory_consolidations WHERE id <= {Invariant(last)};", cancellationToken))!;
        progress.Start("memory_consolidations", total, done);
        long copied = 0;
        while (true)
        {
            var rows = new List<object?[]>();
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = $"""
                    SELECT id, partition_id, {ConsolidationColumns}, summary_memory_id FROM memory_consolidations WHERE id > $last ORDER BY id LIMIT $n;
                    """;
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$n", options.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = new object?[10];
                    reader.GetValues(row!);
                    rows.Add(row);
                }
            }

            if (rows.Count == 0)
            {
                return copied;
            }

            await using (var insert = target.DataSource.CreateCommand($"""
                INSERT INTO memory_consolidations (partition_id, {ConsolidationColumns}, summary_memory_id, origin_store, origin_id)
                SELECT x.pa, x.ch, x.pr, x.dy, x.su, x.oc, x.cr, x.co, m.id, $11, x.o
                FROM unnest($1::bigint[], $2::text[], $3::smallint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
                    $9::bigint[], $10::bigint[]) AS x(pa, ch, pr, dy, su, oc, cr, co, sm, o)
                LEFT JOIN memories m ON m.origin_store = $11 AND m.origin_id = x.sm
                ORDER BY x.o
                ON CONFLICT (origin_store, origin_id) WHERE origin_store IS NOT NULL DO NOTHING;
                """))
            {
                var p = insert.Parameters;
                p.Add(Column(rows, 1, v => partitions[(long)v!], NpgsqlDbType.Bigint));
                p.Add(Column(rows, 2, v => (string)v!, NpgsqlDbType.Text));
                p.Add(Column(rows, 3, v => (short)(long)v!, NpgsqlDbType.Smallint));
                p.Add(Column(rows, 4, v => (long)v!, NpgsqlDbType.Bigint));
                p.Add(Column(rows, 5, v => (string)v!, NpgsqlDbType.Text));
                p.Add(Column(rows, 6, v => (long)v!, NpgsqlDbType.Bigint));
                p.Add(Column(rows, 7, v => (long)v!, NpgsqlDbType.Bigint));
                p.Add(Column(rows, 8, v => v is DBNull ? (long?)null : (long)v!, NpgsqlDbType.Bigint));
                p.Add(Column(rows, 9, v => v is DBNull ? (long?)null : (long)v!, NpgsqlDbType.Bigint));
                p.Add(Column(rows, 0, v => (long)v!, NpgsqlDbType.Bigint));
                p.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                copied += await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            last = (long)rows[^1][0]!;
            progress.Advance("memory_consolidations", rows.Count);
            if (options.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(options.PauseBetweenBatches, cancellationToken);
            }
        }
    }

    /// <summary>Copies the links of summarised memories, matched by key (a memory is linked once), so a re-run adds only what is missing.</summary>
    private static async Task<long> CopyConsolidationSourcesAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, MigrationOptions options,
        IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "memory_consolidation_sources", cancellationToken);
        progress.Start("memory_consolidation_sources", total, 0);
        long copied = 0;
        long last = 0;
        while (true)
        {
            var memories = new List<long>();
            var consolidations = new List<long>();
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = "SELECT memory_id, consolidation_id FROM memory_consolidation_sources WHERE memory_id > $last ORDER BY memory_id LIMIT $n;";
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$n", options.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    memories.Add(reader.GetInt64(0));
                    consolidations.Add(reader.GetInt64(1));
                }
            }

            if (memories.Count == 0)
            {
                return copied;
            }

            await using (var insert = target.DataSource.CreateCommand("""
                INSERT INTO memory_consolidation_sources (partition_id, memory_id, consolidation_id)
                SELECT m.partition_id, m.id, c.id
                FROM unnest($2::bigint[], $3::bigint[]) AS x(mi, ci)
                JOIN memories m ON m.origin_store = $1 AND m.origin_id = x.mi
                JOIN memory_consolidations c ON c.origin_store = $1 AND c.origin_id = x.ci
                ORDER BY m.partition_id, m.id
                ON CONFLICT (partition_id, memory_id) DO NOTHING;
                """))
            {
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                insert.Parameters.Add(Array(memories, NpgsqlDbType.Bigint));
                insert.Parameters.Add(Array(consolidations, NpgsqlDbType.Bigint));
                copied += await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            last = memories[^1];
            progress.Advance("memory_consolidation_sources", memories.Count);
        }
    }

    /// <summary>Copies relationship counters, one row per partition; a partition that already has counters in the target keeps them.</summary>
    private static async Task<long> CopyRelationshipsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, Dictionary<long, long> partitions,
        IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = $"SELECT partition_id, {RelationshipColumns} FROM relationships ORDER BY partition_id;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new object?[8];
                reader.GetValues(row!);
                rows.Add(row);
            }
        }

        progress.Start("relationships", rows.Count, 0);
        long copied = 0;
        foreach (var chunk in rows.Chunk(1_000).Select(c => c.ToList()))
        {
            await using var insert = target.DataSource.CreateCommand($"""
                INSERT INTO relationships (partition_id, {RelationshipColumns}, origin_store)
                SELECT pa, ex, te, dy, ld, de, fa, la, $9
                FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::bigint[], $6::int[], $7::bigint[], $8::bigint[])
                    AS x(pa, ex, te, dy, ld, de, fa, la)
                ORDER BY pa
                ON CONFLICT (partition_id) DO NOTHING;
                """);
            var p = insert.Parameters;
            p.Add(Column(chunk, 0, v => partitions[(long)v!], NpgsqlDbType.Bigint));
            p.Add(Column(chunk, 1, v => (long)v!, NpgsqlDbType.Bigint));
            p.Add(Column(chunk, 2, v => (long)v!, NpgsqlDbType.Bigint));
            p.Add(Column(chunk, 3, v => (int)(long)v!, NpgsqlDbType.Integer));
            p.Add(Column(chunk, 4, v => (long)v!, NpgsqlDbType.Bigint));
            p.Add(Column(chunk, 5, v => (int)(long)v!, NpgsqlDbType.Integer));
            p.Add(Column(chunk, 6, v => (long)v!, NpgsqlDbType.Bigint));
            p.Add(Column(chunk, 7, v => (long)v!, NpgsqlDbType.Bigint));
            p.Add(new NpgsqlParameter<string> { TypedValue = storeId });
            copied += await insert.ExecuteNonQueryAsync(cancellationToken);
            progress.Advance("relationships", chunk.Count);
        }

        return copied;
    }

    private const string RelationshipColumns = "exchanges, total_exchanges, days, last_day, day_exchanges, first_at, last_at";

    private static async Task<TableReport> VerifyConsolidationsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "memory_consolidations", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), $"""
            SELECT p.tenant_id, p.bot_id, p.user_id, {Prefixed(ConsolidationColumns, "c.")}, c.summary_memory_id
            FROM memory_consolidations c JOIN memory_partitions p ON p.id = c.partition_id ORDER BY c.id;
            """, ConsolidationRow, cancellationToken);
        var pg = target.DataSource.CreateCommand($"""
            SELECT p.tenant_id, p.bot_id, p.user_id, {Prefixed(ConsolidationColumns, "c.")}, m.origin_id
            FROM memory_consolidations c JOIN memory_partitions p ON p.id = c.partition_id
            LEFT JOIN memories m ON m.partition_id = c.partition_id AND m.id = c.summary_memory_id
            WHERE c.origin_store = $1 ORDER BY c.origin_id;
            """);
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, ConsolidationRow, cancellationToken);
        return new TableReport("memory_consolidations", source, targetRows, copied, sourceHash, targetHash);
    }

    private static async Task<TableReport> VerifyConsolidationSourcesAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "memory_consolidation_sources", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), "SELECT memory_id, consolidation_id FROM memory_consolidation_sources ORDER BY memory_id;",
            PairRow, cancellationToken);
        var pg = target.DataSource.CreateCommand("""
            SELECT m.origin_id, c.origin_id FROM memory_consolidation_sources s
            JOIN memories m ON m.partition_id = s.partition_id AND m.id = s.memory_id
            JOIN memory_consolidations c ON c.id = s.consolidation_id
            WHERE m.origin_store = $1 AND c.origin_store = $1 ORDER BY m.origin_id;
            """);
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, PairRow, cancellationToken);
        return new TableReport("memory_consolidation_sources", source, targetRows, copied, sourceHash, targetHash);
    }

    private static async Task<TableReport> VerifyRelationshipsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "relationships", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), $"""
            SELECT p.tenant_id, p.bot_id, p.user_id, {Prefixed(RelationshipColumns, "r.")}
            FROM relationships r JOIN memory_partitions p ON p.id = r.partition_id ORDER BY p.tenant_id, p.bot_id, p.user_id;
            """, RelationshipRow, cancellationToken);
        var pg = target.DataSource.CreateCommand($"""
            SELECT p.tenant_id, p.bot_id, p.user_id, {Prefixed(RelationshipColumns, "r.")}
            FROM relationships r JOIN memory_partitions p ON p.id = r.partition_id
            WHERE r.origin_store = $1 ORDER BY p.tenant_id COLLATE "C", p.bot_id COLLATE "C", p.user_id COLLATE "C";
            """);
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, RelationshipRow, cancellationToken);
        return new TableReport("relationships", source, targetRows, copied, sourceHash, targetHash);
    }

    private static string Prefixed(string columns, string alias) => string.Join(", ", columns.Split(", ").Select(c => alias + c));

    private static void ConsolidationRow(DbDataReader r, RowHasher h) =>
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2)).Add(r.GetString(3)).Add(Convert.ToInt64(r.GetValue(4))).Add(r.GetInt64(5))
            .Add(r.GetString(6)).Add(r.GetInt64(7)).Add(r.GetInt64(8)).Add(r.IsDBNull(9) ? null : r.GetInt64(9)).Add(r.IsDBNull(10) ? null : r.GetInt64(10));

    private static void PairRow(DbDataReader r, RowHasher h) => h.Add(r.GetInt64(0)).Add(r.GetInt64(1));

    private static void RelationshipRow(DbDataReader r, RowHasher h)
    {
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2));
        for (var i = 3; i <= 9; i++)
        {
            h.Add(Convert.ToInt64(r.GetValue(i)));
        }
    }
}
