using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Hosting.Migration;

public sealed partial class StoreMigrator
{
    private static async Task<Dictionary<long, long>> CopyConversationsAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId,
        IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "conversations", cancellationToken);
        progress.Start("conversations", total, 0);
        var map = new Dictionary<long, long>();
        await using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT id, tenant_id, bot_id, user_id, channel_id, privacy, created_at FROM conversations ORDER BY id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = new List<(long Id, string Tenant, string Bot, string User, string Channel, short Privacy, long Created)>();
        while (true)
        {
            var more = await reader.ReadAsync(cancellationToken);
            if (more)
            {
                batch.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    (short)reader.GetInt32(5), reader.GetInt64(6)));
            }

            if (batch.Count == 1_000 || (!more && batch.Count > 0))
            {
                // Upsert by the conversation's key: an existing conversation (a re-run, or --merge) keeps its id.
                await using var upsert = target.DataSource.CreateCommand("""
                    INSERT INTO conversations (tenant_id, bot_id, user_id, channel_id, privacy, created_at, origin_store)
                    SELECT t, b, u, c, p, ca, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::bigint[])
                        AS x(t, b, u, c, p, ca)
                    ON CONFLICT (tenant_id, bot_id, user_id, channel_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id
                    RETURNING id, tenant_id, bot_id, user_id, channel_id;
                    """);
                upsert.Parameters.Add(Array(batch.Select(r => r.Tenant).ToList(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(batch.Select(r => r.Bot).ToList(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(batch.Select(r => r.User).ToList(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(batch.Select(r => r.Channel).ToList(), NpgsqlDbType.Text));
                upsert.Parameters.Add(Array(batch.Select(r => r.Privacy).ToList(), NpgsqlDbType.Smallint));
                upsert.Parameters.Add(Array(batch.Select(r => r.Created).ToList(), NpgsqlDbType.Bigint));
                upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                var bySourceKey = batch.ToDictionary(r => (r.Tenant, r.Bot, r.User, r.Channel), r => r.Id);
                await using (var result = await upsert.ExecuteReaderAsync(cancellationToken))
                {
                    while (await result.ReadAsync(cancellationToken))
                    {
                        map[bySourceKey[(result.GetString(1), result.GetString(2), result.GetString(3), result.GetString(4))]] = result.GetInt64(0);
                    }
                }

                progress.Advance("conversations", batch.Count);
                batch.Clear();
            }

            if (!more)
            {
                break;
            }
        }

        return map;
    }

    private static async Task<long> CopyMessagesAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, Dictionary<long, long> conversations,
        MigrationOptions options, IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "messages", cancellationToken);
        var last = await ResumePointAsync(target, "messages", storeId, cancellationToken);
        var done = (long)(await Scalar(sqlite, $"SELECT COUNT(*) FROM messages WHERE id <= {Invariant(last)};", cancellationToken))!;
        progress.Start("messages", total, done);
        long copied = 0;
        while (true)
        {
            var ids = new List<long>();
            var conversationIds = new List<long>();
            var roles = new List<short>();
            var contents = new List<string>();
            var created = new List<long>();
            var tokens = new List<int>();
            var flags = new List<int>();
            var models = new List<string?>();
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = "SELECT id, conversation_id, role, content, created_at, token_count, flags, model FROM messages WHERE id > $last ORDER BY id LIMIT $n;";
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$n", options.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetInt64(0));
                    conversationIds.Add(conversations[reader.GetInt64(1)]);
                    roles.Add((short)reader.GetInt32(2));
                    contents.Add(reader.GetString(3));
                    created.Add(reader.GetInt64(4));
                    tokens.Add(reader.GetInt32(5));
                    flags.Add(reader.GetInt32(6));
                    models.Add(reader.IsDBNull(7) ? null : reader.GetString(7));
                }
            }

            if (ids.Count == 0)
            {
                return copied;
            }

            await using (var insert = target.DataSource.CreateCommand("""
                INSERT INTO messages (conversation_id, role, content, created_at, token_count, flags, model, origin_store, origin_id)
                SELECT c, r, t, ca, tc, f, m, $9, o
                FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::text[], $8::bigint[])
                    AS x(c, r, t, ca, tc, f, m, o)
                ORDER BY o
                ON CONFLICT (origin_store, origin_id) WHERE origin_store IS NOT NULL DO NOTHING;
                """))
            {
                insert.Parameters.Add(Array(conversationIds, NpgsqlDbType.Bigint));
                insert.Parameters.Add(Array(roles, NpgsqlDbType.Smallint));
                insert.Parameters.Add(Array(contents, NpgsqlDbType.Text));
                insert.Parameters.Add(Array(created, NpgsqlDbType.Bigint));
                insert.Parameters.Add(Array(tokens, NpgsqlDbType.Integer));
                insert.Parameters.Add(Array(flags, NpgsqlDbType.Integer));
                insert.Parameters.Add(Array(models, NpgsqlDbType.Text));
                insert.Parameters.Add(Array(ids, NpgsqlDbType.Bigint));
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                copied += await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            last = ids[^1];
            progress.Advance("messages", ids.Count);
            if (options.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(options.PauseBetweenBatches, cancellationToken);
            }
        }
    }

    private static async Task<long> CopyUsageAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, MigrationOptions options,
        IMigrationProgress progress, CancellationToken cancellationToken)
    {
        var total = await CountAsync(sqlite, "usage_ledger", cancellationToken);
        var last = await ResumePointAsync(target, "usage_ledger", storeId, cancellationToken);
        var done = (long)(await Scalar(sqlite, $"SELECT COUNT(*) FROM usage_ledger WHERE id <= {Invariant(last)};", cancellationToken))!;
        progress.Start("usage_ledger", total, done);
        long copied = 0;
        while (true)
        {
            var rows = new List<object?[]>();
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = $"SELECT id, {UsageColumns} FROM usage_ledger WHERE id > $last ORDER BY id LIMIT $n;";
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$n", options.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = new object?[18];
                    reader.GetValues(row!);
                    rows.Add(row);
                }
            }

            if (rows.Count == 0)
            {
                return copied;
            }

            await using (var batch = target.DataSource.CreateBatch())
            {
                foreach (var row in rows)
                {
                    var command = new NpgsqlBatchCommand($"""
                        INSERT INTO usage_ledger ({UsageColumns}, origin_store, origin_id)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                        ON CONFLICT (origin_store, origin_id) WHERE origin_store IS NOT NULL DO NOTHING;
                        """);
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Convert.ToInt64(row[1], CultureInfo.InvariantCulture) });
                    for (var i = 2; i <= 7; i++)
                    {
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = (string)row[i]! });
                    }

                    for (var i = 8; i <= 10; i++)
                    {
                        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Convert.ToInt32(row[i], CultureInfo.InvariantCulture) });
                    }

                    command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = Convert.ToInt64(row[11], CultureInfo.InvariantCulture) != 0 });
                    command.Parameters.Add(new NpgsqlParameter
                    {
                        Value = row[12] is string cost ? decimal.Parse(cost, CultureInfo.InvariantCulture) : DBNull.Value,
                        NpgsqlDbType = NpgsqlDbType.Numeric,
                    });
                    command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = Convert.ToDouble(row[13], CultureInfo.InvariantCulture) });
                    command.Parameters.Add(new NpgsqlParameter { Value = row[14] is DBNull ? DBNull.Value : Convert.ToDouble(row[14], CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Double });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = (string)row[15]! });
                    command.Parameters.Add(new NpgsqlParameter { Value = row[16] ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter { Value = row[17] ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Convert.ToInt64(row[0], CultureInfo.InvariantCulture) });
                    batch.BatchCommands.Add(command);
                }

                // A batch of statements runs in one implicit transaction: all of it lands, or none.
                copied += await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            last = Convert.ToInt64(rows[^1][0], CultureInfo.InvariantCulture);
            progress.Advance("usage_ledger", rows.Count);
            if (options.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(options.PauseBetweenBatches, cancellationToken);
            }
        }
    }

    // The ledger's own column list, in the same order in both schemas.
    private const string UsageColumns = PostgresUsageLedger.Columns;
}
