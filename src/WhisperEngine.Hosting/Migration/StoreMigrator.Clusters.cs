using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Hosting.Migration;

public sealed partial class StoreMigrator
{
    private const string ClusterColumns = "cluster_id, label, size, members_at_build, embedding_model, embedding_dims, centroid, created_at";

    /// <summary>
    /// The copied partitions whose clusters are copied too: those whose memories in the target all came from this source.
    /// A partition the target already held memories of (--merge) keeps its own clusters; the clustering sweep puts the
    /// copied memories into them.
    /// </summary>
    private static async Task<HashSet<long>> ClusterPartitionsAsync(PostgresDatabase target, string storeId, Dictionary<long, long> partitions,
        CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand("""
            SELECT p FROM unnest($1::bigint[]) AS x(p)
            WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.partition_id = x.p AND m.origin_store IS DISTINCT FROM $2);
            """);
        command.Parameters.Add(Array(partitions.Values.Distinct().ToList(), NpgsqlDbType.Bigint));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var own = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            own.Add(reader.GetInt64(0));
        }

        return own;
    }

    /// <summary>
    /// Copies the topic clusters of <paramref name="own"/> partitions (each partition's set replaced whole, so a re-run
    /// redoes it exactly), then the memories' cluster, matched by their source ids. Returns the clusters copied.
    /// </summary>
    private static async Task<long> CopyClustersAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, Dictionary<long, long> partitions,
        HashSet<long> own, IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = $"SELECT partition_id, {ClusterColumns} FROM memory_clusters ORDER BY partition_id, cluster_id;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new object?[9];
                reader.GetValues(row!);
                if (own.Contains(partitions[(long)row[0]!]))
                {
                    rows.Add(row);
                }
            }
        }

        progress.Start("memory_clusters", rows.Count, 0);
        var targets = rows.Select(r => partitions[(long)r[0]!]).Distinct().ToList();
        await using (var connection = await target.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var clear = new NpgsqlCommand("DELETE FROM memory_clusters WHERE partition_id = ANY($1);", connection, transaction))
            {
                clear.Parameters.Add(Array(targets, NpgsqlDbType.Bigint));
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var insert = new NpgsqlCommand($"""
                INSERT INTO memory_clusters (partition_id, {ClusterColumns})
                SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[], $8::bytea[], $9::bigint[]);
                """, connection, transaction))
            {
                var p = insert.Parameters;
                p.Add(Column(rows, 0, v => partitions[(long)v!], NpgsqlDbType.Bigint));
                p.Add(Column(rows, 1, v => (int)(long)v!, NpgsqlDbType.Integer));
                p.Add(Column(rows, 2, v => (string)v!, NpgsqlDbType.Text));
                p.Add(Column(rows, 3, v => (int)(long)v!, NpgsqlDbType.Integer));
                p.Add(Column(rows, 4, v => (int)(long)v!, NpgsqlDbType.Integer));
                p.Add(Column(rows, 5, v => (string)v!, NpgsqlDbType.Text));
                p.Add(Column(rows, 6, v => (int)(long)v!, NpgsqlDbType.Integer));
                p.Add(Column(rows, 7, v => (byte[])v!, NpgsqlDbType.Bytea));
                p.Add(Column(rows, 8, v => (long)v!, NpgsqlDbType.Bigint));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        progress.Advance("memory_clusters", rows.Count);

        // The members, by the source ids of the copied memories (only cluster_id changes: the keyword statistics stay).
        var members = new List<(long Memory, long Cluster)>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "SELECT id, partition_id, cluster_id FROM memories WHERE cluster_id IS NOT NULL ORDER BY id;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (own.Contains(partitions[reader.GetInt64(1)]))
                {
                    members.Add((reader.GetInt64(0), reader.GetInt64(2)));
                }
            }
        }

        foreach (var chunk in members.Chunk(5_000))
        {
            await using var update = target.DataSource.CreateCommand("""
                UPDATE memories m SET cluster_id = x.c
                FROM unnest($1::bigint[], $2::int[]) AS x(o, c)
                WHERE m.origin_store = $3 AND m.origin_id = x.o AND m.cluster_id IS DISTINCT FROM x.c;
                """);
            update.Parameters.Add(Array(chunk.Select(m => m.Memory).ToList(), NpgsqlDbType.Bigint));
            update.Parameters.Add(Array(chunk.Select(m => (int)m.Cluster).ToList(), NpgsqlDbType.Integer));
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return rows.Count;
    }

    /// <summary>
    /// The clusters of the copied partitions on both sides, with their members named by source memory id; a note names
    /// the partitions whose clusters were left to the target's own.
    /// </summary>
    private static async Task<TableReport> VerifyClustersAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId,
        Dictionary<long, long> partitions, HashSet<long> own, long copied, CancellationToken cancellationToken)
    {
        var sources = partitions.Where(p => own.Contains(p.Value)).Select(p => p.Key).ToHashSet();
        using var sourceHasher = new RowHasher();
        long sourceRows = 0;
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = $"""
                SELECT p.id, p.tenant_id, p.bot_id, p.user_id, {string.Join(", ", ClusterColumns.Split(", ").Select(c => "c." + c))},
                    (SELECT group_concat(m.id, ',') FROM (SELECT id FROM memories WHERE partition_id = c.partition_id AND cluster_id = c.cluster_id ORDER BY id) m)
                FROM memory_clusters c JOIN memory_partitions p ON p.id = c.partition_id
                ORDER BY p.tenant_id, p.bot_id, p.user_id, c.cluster_id;
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (sources.Contains(reader.GetInt64(0)))
                {
                    ClusterRow(reader, sourceHasher);
                    sourceHasher.EndRow();
                    sourceRows++;
                }
            }
        }

        var pg = target.DataSource.CreateCommand($"""
            SELECT p.id, p.tenant_id, p.bot_id, p.user_id, {string.Join(", ", ClusterColumns.Split(", ").Select(c => "c." + c))},
                (SELECT string_agg(m.origin_id::text, ',' ORDER BY m.origin_id) FROM memories m
                 WHERE m.partition_id = c.partition_id AND m.cluster_id = c.cluster_id AND m.origin_store = $2)
            FROM memory_clusters c JOIN memory_partitions p ON p.id = c.partition_id
            WHERE c.partition_id = ANY($1)
            ORDER BY p.tenant_id COLLATE "C", p.bot_id COLLATE "C", p.user_id COLLATE "C", c.cluster_id;
            """);
        pg.Parameters.Add(Array(own.ToList(), NpgsqlDbType.Bigint));
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, ClusterRow, cancellationToken);
        var left = partitions.Count - sources.Count;
        var note = left == 0 ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"memory_clusters: {left} partitions already had memories in the target; their clusters are the target's own, and the clustering sweep puts the copied memories into them.");
        return new TableReport("memory_clusters", sourceRows, targetRows, copied, sourceHasher.Finish(), targetHash) { Note = note };
    }

    private static void ClusterRow(DbDataReader r, RowHasher h)
    {
        h.Add(r.GetString(1)).Add(r.GetString(2)).Add(r.GetString(3)).Add(Convert.ToInt64(r.GetValue(4))).Add(r.GetString(5))
            .Add(Convert.ToInt64(r.GetValue(6))).Add(Convert.ToInt64(r.GetValue(7))).Add(r.GetString(8)).Add(Convert.ToInt64(r.GetValue(9)))
            .Add(r.GetFieldValue<byte[]>(10)).Add(r.GetInt64(11)).Add(r.IsDBNull(12) ? null : r.GetString(12));
    }
}
