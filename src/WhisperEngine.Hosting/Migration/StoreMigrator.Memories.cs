using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Hosting.Migration;

public sealed partial class StoreMigrator
{
    private const string MemoryColumns = "channel_id, privacy, speaker, text, context, occurred_at, created_at, importance, access_count, " +
        "last_accessed_at, token_count, embedding_model, embedding_dims, embedding, emotion, reply";

    /// <summary>Upserts the memory partitions by their key; returns source id to target id.</summary>
    private static async Task<Dictionary<long, long>> CopyMemoryPartitionsAsync(SqliteConnection sqlite, PostgresDatabase target, CancellationToken cancellationToken)
    {
        var rows = new List<(long Id, string Tenant, string Bot, string User)>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "SELECT id, tenant_id, bot_id, user_id FROM memory_partitions ORDER BY id;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var map = new Dictionary<long, long>();
        foreach (var batch in rows.Chunk(1_000))
        {
            await using var upsert = target.DataSource.CreateCommand("""
                INSERT INTO memory_partitions (tenant_id, bot_id, user_id)
                SELECT t, b, u FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, b, u)
                ON CONFLICT (tenant_id, bot_id, user_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id
                RETURNING id, tenant_id, bot_id, user_id;
                """);
            upsert.Parameters.Add(Array(batch.Select(r => r.Tenant).ToList(), NpgsqlDbType.Text));
            upsert.Parameters.Add(Array(batch.Select(r => r.Bot).ToList(), NpgsqlDbType.Text));
            upsert.Parameters.Add(Array(batch.Select(r => r.User).ToList(), NpgsqlDbType.Text));
            var bySourceKey = batch.ToDictionary(r => (r.Tenant, r.Bot, r.User), r => r.Id);
            await using var result = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await result.ReadAsync(cancellationToken))
            {
                map[bySourceKey[(result.GetString(1), result.GetString(2), result.GetString(3))]] = result.GetInt64(0);
            }
        }

        return map;
    }

    /// <summary>Copies memories with their vectors (the same float32 bytes) in batches, each one statement; skips what a previous run copied.</summary>
    private static async Task<long> CopyMemoriesAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, Dictionary<long, long> partitions,
        MigrationOptions options, IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "memories", cancellationToken);
        var last = await ResumePointAsync(target, "memories", storeId, cancellationToken);
        var done = (long)(await Scalar(sqlite, $"SELECT COUNT(*) FROM memories WHERE id <= {Invariant(last)};", cancellationToken))!;
        progress.Start("memories", total, done);
        long copied = 0;
        while (true)
        {
            var batch = new MemoryBatch();
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = $"SELECT id, partition_id, {MemoryColumns} FROM memories WHERE id > $last ORDER BY id LIMIT $n;";
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$n", options.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add(reader, partitions);
                }
            }

            if (batch.Ids.Count == 0)
            {
                return copied;
            }

            await using (var insert = target.DataSource.CreateCommand($"""
                INSERT INTO memories (partition_id, {MemoryColumns}, origin_store, origin_id)
                SELECT pa, ch, pr, sp, tx, cx, oc, cr, im, ac, la, tc, em, ed, eb, eo, rp, $18, o
                FROM unnest($1::bigint[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
                    $9::real[], $10::int[], $11::bigint[], $12::int[], $13::text[], $14::int[], $15::bytea[], $16::text[], $17::text[], $19::bigint[])
                    AS x(pa, ch, pr, sp, tx, cx, oc, cr, im, ac, la, tc, em, ed, eb, eo, rp, o)
                ORDER BY o
                ON CONFLICT (origin_store, origin_id) WHERE origin_store IS NOT NULL DO NOTHING;
                """))
            {
                batch.AddParameters(insert.Parameters);
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                insert.Parameters.Add(Array(batch.Ids, NpgsqlDbType.Bigint));
                copied += await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            last = batch.Ids[^1];
            progress.Advance("memories", batch.Ids.Count);
            if (options.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(options.PauseBetweenBatches, cancellationToken);
            }
        }
    }

    private static async Task<TableReport> VerifyMemoriesAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "memories", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), $"""
            SELECT p.tenant_id, p.bot_id, p.user_id, {Prefixed("m.")} FROM memories m JOIN memory_partitions p ON p.id = m.partition_id ORDER BY m.id;
            """, MemoryRow, cancellationToken);
        var pg = target.DataSource.CreateCommand($"""
            SELECT p.tenant_id, p.bot_id, p.user_id, {Prefixed("m.")} FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
            WHERE m.origin_store = $1 ORDER BY m.origin_id;
            """);
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, MemoryRow, cancellationToken);
        return new TableReport("memories", source, targetRows, copied, sourceHash, targetHash);
    }

    private static string Prefixed(string alias) => string.Join(", ", MemoryColumns.Split(", ").Select(c => alias + c));

    /// <summary>Every column in a canonical form; importance as the float32 both schemas keep, the vector as its bytes.</summary>
    private static void MemoryRow(DbDataReader r, RowHasher h)
    {
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2)).Add(r.GetString(3)).Add(Convert.ToInt64(r.GetValue(4)))
            .Add(r.GetString(5)).Add(r.GetString(6)).Add(r.IsDBNull(7) ? null : r.GetString(7)).Add(r.GetInt64(8)).Add(r.GetInt64(9))
            .Add((double)r.GetFloat(10)).Add(Convert.ToInt64(r.GetValue(11))).Add(r.IsDBNull(12) ? null : r.GetInt64(12))
            .Add(Convert.ToInt64(r.GetValue(13))).Add(r.IsDBNull(14) ? null : r.GetString(14))
            .Add(r.IsDBNull(15) ? null : Convert.ToInt64(r.GetValue(15)))
            .Add(r.IsDBNull(16) ? null : r.GetFieldValue<byte[]>(16))
            .Add(r.IsDBNull(17) ? null : r.GetString(17)).Add(r.IsDBNull(18) ? null : r.GetString(18));
    }
}
