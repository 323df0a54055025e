using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Hosting.Migration;

public sealed partial class StoreMigrator
{
    /// <summary>The retired reason of a copied fact that was older than the target's own active value for its key.</summary>
    internal const string MergedOlder = "merge: the target's value for this key is newer";

    /// <summary>The retired reason of a target's fact replaced by a newer copied value for its key.</summary>
    internal const string MergedReplaced = "merge: a newer value was copied by whisperengine migrate";

    private const string FactColumns = "tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, " +
        "created_at, updated_at, retired_at";

    /// <summary>
    /// Copies facts in id order, each batch one transaction, then points each retired fact at its successor's new id.
    /// Into a target with facts of its own (--merge), an active value meets the target's active value for the same key as
    /// a new value would: the newer one stays active and the older is retired, superseded by it (<see cref="MergedOlder"/>,
    /// <see cref="MergedReplaced"/>).
    /// </summary>
    private static async Task<long> CopyFactsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, MigrationOptions options,
        IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "facts", cancellationToken);
        var last = await ResumePointAsync(target, "facts", storeId, cancellationToken);
        var done = (long)(await Scalar(sqlite, $"SELECT COUNT(*) FROM facts WHERE id <= {Invariant(last)};", cancellationToken))!;
        progress.Start("facts", total, done);
        long copied = 0;
        while (true)
        {
            var rows = new List<object?[]>();
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = $"SELECT id, {FactColumns}, retired_reason FROM facts WHERE id > $last ORDER BY id LIMIT $n;";
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$n", options.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = new object?[15];
                    reader.GetValues(row!);
                    rows.Add(row);
                }
            }

            if (rows.Count == 0)
            {
                break;
            }

            await using (var connection = await target.DataSource.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                // An incoming active value newer than the target's own active value for the key retires that value first.
                var active = rows.Where(r => r[13] is DBNull).ToList();
                var replaced = new List<(long TargetId, long Origin)>();
                await using (var retire = new NpgsqlCommand("""
                    UPDATE facts f SET retired_at = x.ua, retired_reason = $8
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::bigint[], $7::bigint[]) AS x(t, b, u, su, k, ua, o)
                    WHERE f.tenant_id = x.t AND f.bot_id = x.b AND f.user_id = x.u AND f.subject = x.su AND f.fact_key = x.k
                      AND f.retired_at IS NULL AND f.origin_store IS DISTINCT FROM $9 AND f.updated_at < x.ua
                    RETURNING f.id, x.o;
                    """, connection, transaction))
                {
                    var p = retire.Parameters;
                    p.Add(Column(active, 1, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(active, 2, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(active, 3, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(active, 4, v => (short)Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Smallint));
                    p.Add(Column(active, 5, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(active, 12, v => (long)v!, NpgsqlDbType.Bigint));
                    p.Add(Column(active, 0, v => (long)v!, NpgsqlDbType.Bigint));
                    p.Add(new NpgsqlParameter<string> { TypedValue = MergedReplaced });
                    p.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                    await using var reader = await retire.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        replaced.Add((reader.GetInt64(0), reader.GetInt64(1)));
                    }
                }

                // An active value that meets a newer (or as new) active value of the target goes in retired, superseded by it.
                await using (var insert = new NpgsqlCommand($"""
                    INSERT INTO facts ({FactColumns}, superseded_by, retired_reason, origin_store, origin_id)
                    SELECT t, b, u, su, k, v, cf, {SourceToTarget("so", "$16")}, pr, ch, ca, ua,
                        CASE WHEN c.id IS NULL THEN ra ELSE c.updated_at END, c.id, CASE WHEN c.id IS NULL THEN rr ELSE $17 END, $16, o
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::smallint[],
                        $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[], $15::bigint[])
                        AS x(t, b, u, su, k, v, cf, so, pr, ch, ca, ua, ra, rr, o)
                    LEFT JOIN LATERAL (
                        SELECT f.id, f.updated_at FROM facts f
                        WHERE x.ra IS NULL AND f.tenant_id = x.t AND f.bot_id = x.b AND f.user_id = x.u AND f.subject = x.su AND f.fact_key = x.k
                          AND f.retired_at IS NULL AND f.origin_store IS DISTINCT FROM $16) c ON true
                    ORDER BY o
                    ON CONFLICT DO NOTHING;
                    """, connection, transaction))
                {
                    var p = insert.Parameters;
                    p.Add(Column(rows, 1, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 2, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 3, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 4, v => (short)Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Smallint));
                    p.Add(Column(rows, 5, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 6, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 7, v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Double));
                    p.Add(Column(rows, 8, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 9, v => (short)Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Smallint));
                    p.Add(Column(rows, 10, v => (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 11, v => (long)v!, NpgsqlDbType.Bigint));
                    p.Add(Column(rows, 12, v => (long)v!, NpgsqlDbType.Bigint));
                    p.Add(Column(rows, 13, v => v is DBNull ? (long?)null : (long)v!, NpgsqlDbType.Bigint));
                    p.Add(Column(rows, 14, v => v is DBNull ? null : (string)v!, NpgsqlDbType.Text));
                    p.Add(Column(rows, 0, v => (long)v!, NpgsqlDbType.Bigint));
                    p.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                    p.Add(new NpgsqlParameter<string> { TypedValue = MergedOlder });
                    copied += await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                if (replaced.Count > 0)
                {
                    await using var link = new NpgsqlCommand("""
                        UPDATE facts f SET superseded_by = n.id
                        FROM unnest($1::bigint[], $2::bigint[]) AS x(target_id, o) JOIN facts n ON n.origin_store = $3 AND n.origin_id = x.o
                        WHERE f.id = x.target_id;
                        """, connection, transaction);
                    link.Parameters.Add(Array(replaced.Select(r => r.TargetId).ToList(), NpgsqlDbType.Bigint));
                    link.Parameters.Add(Array(replaced.Select(r => r.Origin).ToList(), NpgsqlDbType.Bigint));
                    link.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                    await link.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            last = (long)rows[^1][0]!;
            progress.Advance("facts", rows.Count);
            if (options.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(options.PauseBetweenBatches, cancellationToken);
            }
        }

        await LinkSupersededFactsAsync(sqlite, target, storeId, cancellationToken);
        return copied;
    }

    /// <summary>Sets superseded_by to the new id of the fact that replaced each one (idempotent, so a re-run redoes it safely).</summary>
    private static async Task LinkSupersededFactsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, CancellationToken cancellationToken)
    {
        var links = new List<(long Old, long New)>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "SELECT id, superseded_by FROM facts WHERE superseded_by IS NOT NULL ORDER BY id;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                links.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        foreach (var chunk in links.Chunk(5_000))
        {
            await using var update = target.DataSource.CreateCommand("""
                UPDATE facts f SET superseded_by = n.id
                FROM unnest($2::bigint[], $3::bigint[]) AS x(old, new)
                JOIN facts n ON n.origin_store = $1 AND n.origin_id = x.new
                WHERE f.origin_store = $1 AND f.origin_id = x.old AND f.superseded_by IS DISTINCT FROM n.id;
                """);
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
            update.Parameters.Add(Array(chunk.Select(l => l.Old).ToList(), NpgsqlDbType.Bigint));
            update.Parameters.Add(Array(chunk.Select(l => l.New).ToList(), NpgsqlDbType.Bigint));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Copies extraction marks by their key. A mark names a message id, and messages get new ids in PostgreSQL: it is
    /// mapped to the new id of the newest copied message of its conversation up to it. The higher mark wins on a re-run.
    /// </summary>
    private static async Task<long> CopyExtractionMarksAsync(SqliteConnection sqlite, PostgresDatabase target, IMigrationProgress progress,
        CancellationToken cancellationToken)
    {
        var rows = new List<(string Tenant, string Bot, string User, string Channel, long Last, long Updated)>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "SELECT tenant_id, bot_id, user_id, channel_id, last_message_id, updated_at FROM fact_extraction_marks;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
        }

        progress.Start("fact_extraction_marks", rows.Count, 0);
        long copied = 0;
        foreach (var chunk in rows.Chunk(1_000))
        {
            await using var upsert = target.DataSource.CreateCommand("""
                INSERT INTO fact_extraction_marks (tenant_id, bot_id, user_id, channel_id, last_message_id, updated_at)
                SELECT x.t, x.b, x.u, x.c,
                    COALESCE((SELECT max(m.id) FROM conversations cv JOIN messages m ON m.conversation_id = cv.id
                              WHERE cv.tenant_id = x.t AND cv.bot_id = x.b AND cv.user_id = x.u AND cv.channel_id = x.c
                                AND m.origin_id <= x.l AND m.origin_id IS NOT NULL), 0),
                    x.ua
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS x(t, b, u, c, l, ua)
                ON CONFLICT (tenant_id, bot_id, user_id, channel_id) DO UPDATE
                SET last_message_id = GREATEST(fact_extraction_marks.last_message_id, EXCLUDED.last_message_id), updated_at = EXCLUDED.updated_at;
                """);
            upsert.Parameters.Add(Array(chunk.Select(r => r.Tenant).ToList(), NpgsqlDbType.Text));
            upsert.Parameters.Add(Array(chunk.Select(r => r.Bot).ToList(), NpgsqlDbType.Text));
            upsert.Parameters.Add(Array(chunk.Select(r => r.User).ToList(), NpgsqlDbType.Text));
            upsert.Parameters.Add(Array(chunk.Select(r => r.Channel).ToList(), NpgsqlDbType.Text));
            upsert.Parameters.Add(Array(chunk.Select(r => r.Last).ToList(), NpgsqlDbType.Bigint));
            upsert.Parameters.Add(Array(chunk.Select(r => r.Updated).ToList(), NpgsqlDbType.Bigint));
            copied += await upsert.ExecuteNonQueryAsync(cancellationToken);
            progress.Advance("fact_extraction_marks", chunk.Length);
        }

        return copied;
    }

    private static async Task<TableReport> VerifyFactsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "facts", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), $"SELECT {FactColumns}, superseded_by, retired_reason FROM facts ORDER BY id;",
            FactRow, cancellationToken);
        // The source and the successor named by their source ids, as the source names them. A copy retired because the
        // target's own value for its key is newer (--merge) is shown as the source has it, active; the note counts them.
        var merged = "f.retired_reason = $2";
        var columns = FactColumns.Split(", ").Select(c => c switch
        {
            "source" => SourceToOrigin("f.source", "$1"),
            "retired_at" => $"CASE WHEN {merged} THEN NULL ELSE f.retired_at END",
            _ => "f." + c,
        });
        var pg = target.DataSource.CreateCommand($"""
            SELECT {string.Join(", ", columns)},
                CASE WHEN {merged} THEN NULL ELSE (SELECT s.origin_id FROM facts s WHERE s.id = f.superseded_by) END,
                CASE WHEN {merged} THEN NULL ELSE f.retired_reason END
            FROM facts f WHERE f.origin_store = $1 ORDER BY f.origin_id;
            """);
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MergedOlder });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, FactRow, cancellationToken);

        await using var counts = target.DataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE origin_store = $1 AND retired_reason = $2), count(*) FILTER (WHERE origin_store IS DISTINCT FROM $1 AND retired_reason = $3)
            FROM facts;
            """);
        counts.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        counts.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MergedOlder });
        counts.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MergedReplaced });
        long older, replaced;
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (older, replaced) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var note = older + replaced == 0 ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"facts: {older} copied values were older than the target's own value for the same key and are kept retired in its history; " +
            $"{replaced} of the target's values were replaced by newer copied ones.");
        return new TableReport("facts", source, targetRows, copied, sourceHash, targetHash) { Note = note };
    }

    private static async Task<TableReport> VerifyExtractionMarksAsync(SqliteConnection sqlite, PostgresDatabase target, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "fact_extraction_marks", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), """
            SELECT tenant_id, bot_id, user_id, channel_id, last_message_id, updated_at FROM fact_extraction_marks
            ORDER BY tenant_id, bot_id, user_id, channel_id;
            """, MarkRow, cancellationToken);
        var keys = new List<string[]>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "SELECT tenant_id, bot_id, user_id, channel_id FROM fact_extraction_marks;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add([reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)]);
            }
        }

        // The target's marks of the same keys, the message named by its source id.
        var pg = target.DataSource.CreateCommand("""
            SELECT f.tenant_id, f.bot_id, f.user_id, f.channel_id, COALESCE((SELECT m.origin_id FROM messages m WHERE m.id = f.last_message_id), 0), f.updated_at
            FROM fact_extraction_marks f JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(t, b, u, c)
                ON f.tenant_id = k.t AND f.bot_id = k.b AND f.user_id = k.u AND f.channel_id = k.c
            ORDER BY f.tenant_id COLLATE "C", f.bot_id COLLATE "C", f.user_id COLLATE "C", f.channel_id COLLATE "C";
            """);
        for (var i = 0; i < 4; i++)
        {
            pg.Parameters.Add(Array(keys.Select(k => k[i]).ToList(), NpgsqlDbType.Text));
        }

        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, MarkRow, cancellationToken);
        return new TableReport("fact_extraction_marks", source, targetRows, copied, sourceHash, targetHash);
    }

    /// <summary>
    /// SQL for a fact's source (<see cref="Memory.Facts.FactSources"/>) with the message or memory ids it names mapped to
    /// their new ids in the target: <c>message:12,15</c> becomes <c>message:3,6</c>. An id that was not copied stays as it is.
    /// </summary>
    private static string SourceToTarget(string source, string storeId) => MapSourceIds(source, storeId, "origin_id", "id");

    /// <summary>The inverse of <see cref="SourceToTarget"/>, for the check: a target source named by the source's ids.</summary>
    private static string SourceToOrigin(string source, string storeId) => MapSourceIds(source, storeId, "id", "origin_id");

    private static string MapSourceIds(string source, string storeId, string from, string to) => $$"""
        (CASE WHEN {{source}} ~ '^(message|memory):[0-9]{1,18}(,[0-9]{1,18})*$' THEN split_part({{source}}, ':', 1) || ':' || (
            SELECT string_agg(COALESCE(CASE split_part({{source}}, ':', 1)
                    WHEN 'message' THEN (SELECT r.{{to}} FROM messages r WHERE r.origin_store = {{storeId}} AND r.{{from}} = x.id)
                    ELSE (SELECT r.{{to}} FROM memories r WHERE r.origin_store = {{storeId}} AND r.{{from}} = x.id) END, x.id)::text, ',' ORDER BY x.n)
            FROM unnest(string_to_array(split_part({{source}}, ':', 2), ',')::bigint[]) WITH ORDINALITY AS x(id, n))
        ELSE {{source}} END)
        """;

    private static void FactRow(DbDataReader r, RowHasher h)
    {
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2)).Add(Convert.ToInt64(r.GetValue(3))).Add(r.GetString(4)).Add(r.GetString(5))
            .Add(r.GetDouble(6)).Add(r.GetString(7)).Add(Convert.ToInt64(r.GetValue(8))).Add(r.GetString(9)).Add(r.GetInt64(10)).Add(r.GetInt64(11))
            .Add(r.IsDBNull(12) ? null : r.GetInt64(12)).Add(r.IsDBNull(13) ? null : r.GetInt64(13)).Add(r.IsDBNull(14) ? null : r.GetString(14));
    }

    private static void MarkRow(DbDataReader r, RowHasher h) =>
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2)).Add(r.GetString(3)).Add(r.GetInt64(4)).Add(r.GetInt64(5));

    /// <summary>One column of rows read with GetValues, as a typed array parameter.</summary>
    private static NpgsqlParameter Column<T>(List<object?[]> rows, int index, Func<object?, T> convert, NpgsqlDbType type) =>
        new() { Value = rows.Select(r => convert(r[index])).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}
