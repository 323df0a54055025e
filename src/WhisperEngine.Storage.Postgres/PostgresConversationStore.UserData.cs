using System.Text.Json;
using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Privacy.Export;

namespace WhisperEngine.Storage.Postgres;

/// <summary>
/// The conversation store's part in exporting and erasing a person's data (section <c>conversations</c>). The rows are
/// deleted in one transaction; their bytes stay in the table files as dead tuples until VACUUM (see docs/memory.md).
/// </summary>
public sealed partial class PostgresConversationStore : IUserDataParticipant, IUserConversationLocator
{
    private const string InScope = "tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR bot_id = $3)";

    /// <inheritdoc />
    public string Name => "conversations";

    public async ValueTask<IReadOnlyList<ConversationKey>> FindConversationsAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var command = db.DataSource.CreateCommand($"SELECT bot_id, channel_id FROM conversations WHERE {InScope} ORDER BY bot_id, channel_id;");
            AddScope(command, scope);
            var keys = new List<ConversationKey>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(new ConversationKey(scope.TenantId, reader.GetString(0), scope.UserId, reader.GetString(1)));
            }

            return keys;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "finding a person's conversations");
        }
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var command = db.DataSource.CreateCommand($"""
                SELECT (SELECT COUNT(*) FROM conversations WHERE {InScope}),
                       (SELECT COUNT(*) FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE {InScope}));
                """);
            AddScope(command, scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return [new("conversations", reader.GetInt64(0), UserDataAction.Deleted), new("messages", reader.GetInt64(1), UserDataAction.Deleted)];
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "counting a person's messages");
        }
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(writer);
        try
        {
            var conversations = new List<(long Id, string Bot, string Channel, PrivacyLevel Privacy, long CreatedAt)>();
            await using (var command = db.DataSource.CreateCommand(
                $"SELECT id, bot_id, channel_id, privacy, created_at FROM conversations WHERE {InScope} ORDER BY bot_id, channel_id;"))
            {
                AddScope(command, scope);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    conversations.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (PrivacyLevel)reader.GetInt16(3), reader.GetInt64(4)));
                }
            }

            writer.WriteStartArray();
            foreach (var c in conversations)
            {
                var messages = new List<ExportedMessage>();
                await using (var command = db.DataSource.CreateCommand(
                    "SELECT id, role, content, created_at, token_count, flags, model FROM messages WHERE conversation_id = $1 ORDER BY id;"))
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = c.Id });
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        messages.Add(new ExportedMessage(reader.GetInt64(0), ExportNames.Of((MessageRole)reader.GetInt16(1)), reader.GetString(2),
                            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt32(4), ExportNames.Of((MessageFlags)reader.GetInt32(5)),
                            reader.IsDBNull(6) ? null : reader.GetString(6)));
                    }
                }

                JsonSerializer.Serialize(writer, new ExportedConversation(c.Bot, c.Channel, ExportNames.Of(c.Privacy),
                    DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt), messages), UserDataJsonContext.Default.ExportedConversation);
            }

            writer.WriteEndArray();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "exporting a person's conversations");
        }
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            int messages, conversations;
            await using (var command = new NpgsqlCommand($"DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE {InScope});",
                connection, transaction))
            {
                AddScope(command, scope);
                messages = await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await using (var command = new NpgsqlCommand($"DELETE FROM conversations WHERE {InScope};", connection, transaction))
            {
                AddScope(command, scope);
                conversations = await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            foreach (var key in _conversations.Keys)
            {
                if (key.TenantId == scope.TenantId && key.UserId == scope.UserId && scope.Includes(key.BotId))
                {
                    _conversations.TryRemove(key, out _);
                }
            }

            return [new("conversations", conversations, UserDataAction.Deleted), new("messages", messages, UserDataAction.Deleted)];
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "erasing a person's conversations");
        }
    }

    private static void AddScope(NpgsqlCommand command, UserDataScope scope)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.BotId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }
}
