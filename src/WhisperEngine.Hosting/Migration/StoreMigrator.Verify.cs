using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Hosting.Migration;

public sealed partial class StoreMigrator
{
    private static async Task<TableReport> VerifyConversationsAsync(SqliteConnection sqlite, PostgresDatabase target, long copied, CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "conversations", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(),
            "SELECT tenant_id, bot_id, user_id, channel_id, privacy, created_at FROM conversations ORDER BY tenant_id, bot_id, user_id, channel_id;",
            ConversationRow, cancellationToken);

        // The target rows that correspond to the source's conversations, found by key.
        var keys = new List<(string, string, string, string)>();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "SELECT tenant_id, bot_id, user_id, channel_id FROM conversations;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var pg = target.DataSource.CreateCommand("""
            SELECT c.tenant_id, c.bot_id, c.user_id, c.channel_id, c.privacy, c.created_at
            FROM conversations c JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(t, b, u, ch)
                ON c.tenant_id = k.t AND c.bot_id = k.b AND c.user_id = k.u AND c.channel_id = k.ch
            ORDER BY c.tenant_id COLLATE "C", c.bot_id COLLATE "C", c.user_id COLLATE "C", c.channel_id COLLATE "C";
            """);
        pg.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Item1).ToArray() });
        pg.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Item2).ToArray() });
        pg.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Item3).ToArray() });
        pg.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Item4).ToArray() });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, ConversationRow, cancellationToken);
        return new TableReport("conversations", source, targetRows, copied, sourceHash, targetHash);
    }

    private static async Task<TableReport> VerifyMessagesAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "messages", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), """
            SELECT c.tenant_id, c.bot_id, c.user_id, c.channel_id, m.role, m.content, m.created_at, m.token_count, m.flags, m.model
            FROM messages m JOIN conversations c ON c.id = m.conversation_id ORDER BY m.id;
            """, MessageRow, cancellationToken);
        var pg = target.DataSource.CreateCommand("""
            SELECT c.tenant_id, c.bot_id, c.user_id, c.channel_id, m.role, m.content, m.created_at, m.token_count, m.flags, m.model
            FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.origin_store = $1 ORDER BY m.origin_id;
            """);
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, MessageRow, cancellationToken);
        return new TableReport("messages", source, targetRows, copied, sourceHash, targetHash);
    }

    private static async Task<TableReport> VerifyUsageAsync(SqliteConnection sqlite, PostgresDatabase target, string storeId, long copied,
        CancellationToken cancellationToken)
    {
        var source = await CountAsync(sqlite, "usage_ledger", cancellationToken);
        var sourceHash = await HashAsync(sqlite.CreateCommand(), $"SELECT {UsageColumns} FROM usage_ledger ORDER BY id;", UsageRow, cancellationToken);
        var pg = target.DataSource.CreateCommand($"SELECT {UsageColumns} FROM usage_ledger WHERE origin_store = $1 ORDER BY origin_id;");
        pg.Parameters.Add(new NpgsqlParameter<string> { TypedValue = storeId });
        var (targetRows, targetHash) = await HashWithCountAsync(pg, null, UsageRow, cancellationToken);
        return new TableReport("usage_ledger", source, targetRows, copied, sourceHash, targetHash);
    }

    private static void ConversationRow(DbDataReader r, RowHasher h) =>
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2)).Add(r.GetString(3)).Add(Convert.ToInt64(r.GetValue(4))).Add(r.GetInt64(5));

    private static void MessageRow(DbDataReader r, RowHasher h) =>
        h.Add(r.GetString(0)).Add(r.GetString(1)).Add(r.GetString(2)).Add(r.GetString(3)).Add(Convert.ToInt64(r.GetValue(4)))
            .Add(r.GetString(5)).Add(r.GetInt64(6)).Add(Convert.ToInt64(r.GetValue(7))).Add(Convert.ToInt64(r.GetValue(8)))
            .Add(r.IsDBNull(9) ? null : r.GetString(9));

    private static void UsageRow(DbDataReader r, RowHasher h)
    {
        h.Add(r.GetInt64(0));
        for (var i = 1; i <= 6; i++)
        {
            h.Add(r.GetString(i));
        }

        for (var i = 7; i <= 9; i++)
        {
            h.Add(Convert.ToInt64(r.GetValue(i)));
        }

        h.Add(Convert.ToBoolean(r.GetValue(10)) ? 1 : 0);
        h.Add(r.IsDBNull(11) ? null : r.GetValue(11) is string s ? decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : r.GetDecimal(11));
        h.Add(r.GetDouble(12));
        h.Add(r.IsDBNull(13) ? null : r.GetDouble(13));
        h.Add(r.GetString(14));
        h.Add(r.IsDBNull(15) ? null : r.GetString(15));
        h.Add(r.IsDBNull(16) ? null : r.GetString(16));
    }

    private static async Task<string> HashAsync(DbCommand command, string sql, Action<DbDataReader, RowHasher> row, CancellationToken cancellationToken) =>
        (await HashWithCountAsync(command, sql, row, cancellationToken)).Hash;

    private static async Task<(long Rows, string Hash)> HashWithCountAsync(DbCommand command, string? sql, Action<DbDataReader, RowHasher> row,
        CancellationToken cancellationToken)
    {
        await using (command)
        {
            if (sql is not null)
            {
                command.CommandText = sql;
            }

            using var hasher = new RowHasher();
            long rows = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                row(reader, hasher);
                hasher.EndRow();
                rows++;
            }

            return (rows, hasher.Finish());
        }
    }
}
