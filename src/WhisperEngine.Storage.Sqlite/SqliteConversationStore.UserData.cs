using System.Text.Json;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Privacy.Export;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>The conversation store's part in exporting and erasing a person's data (section <c>conversations</c>).</summary>
public sealed partial class SqliteConversationStore : IUserDataParticipant, IUserConversationLocator
{
    private const string InScope = "tenant_id = $tenant AND user_id = $user AND ($bot IS NULL OR bot_id = $bot)";

    /// <inheritdoc />
    public string Name => "conversations";

    public async ValueTask<IReadOnlyList<ConversationKey>> FindConversationsAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT bot_id, channel_id FROM conversations WHERE {InScope} ORDER BY bot_id, channel_id;";
            AddScope(command, scope);
            var keys = new List<ConversationKey>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(new ConversationKey(scope.TenantId, reader.GetString(0), scope.UserId, reader.GetString(1)));
            }

            return keys;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "finding a person's conversations");
        }
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT (SELECT COUNT(*) FROM conversations WHERE {InScope}),
                       (SELECT COUNT(*) FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE {InScope}));
                """;
            AddScope(command, scope);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return [new("conversations", reader.GetInt64(0), UserDataAction.Deleted), new("messages", reader.GetInt64(1), UserDataAction.Deleted)];
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "counting a person's messages");
        }
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(writer);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            var conversations = new List<(long Id, string Bot, string Channel, PrivacyLevel Privacy, long CreatedAt)>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT id, bot_id, channel_id, privacy, created_at FROM conversations WHERE {InScope} ORDER BY bot_id, channel_id;";
                AddScope(command, scope);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    conversations.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (PrivacyLevel)reader.GetInt32(3), reader.GetInt64(4)));
                }
            }

            writer.WriteStartArray();
            foreach (var c in conversations)
            {
                var messages = new List<ExportedMessage>();
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT id, role, content, created_at, token_count, flags, model FROM messages WHERE conversation_id = $id ORDER BY id;";
                    command.Parameters.AddWithValue("$id", c.Id);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        messages.Add(new ExportedMessage(reader.GetInt64(0), ExportNames.Of((MessageRole)reader.GetInt32(1)), reader.GetString(2),
                            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt32(4), ExportNames.Of((MessageFlags)reader.GetInt32(5)),
                            reader.IsDBNull(6) ? null : reader.GetString(6)));
                    }
                }

                JsonSerializer.Serialize(writer, new ExportedConversation(c.Bot, c.Channel, ExportNames.Of(c.Privacy),
                    DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt), messages), UserDataJsonContext.Default.ExportedConversation);
            }

            writer.WriteEndArray();
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "exporting a person's conversations");
        }
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var connection = await _db.OpenForErasureAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            int messages, conversations;
            try
            {
                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                AddScope(command, scope);
                command.CommandText = $"DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE {InScope});";
                messages = await command.ExecuteNonQueryAsync(CancellationToken.None);
                command.CommandText = $"DELETE FROM conversations WHERE {InScope};";
                conversations = await command.ExecuteNonQueryAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            finally
            {
                _db.WriteLock.Release();
            }

            foreach (var key in _conversations.Keys)
            {
                if (key.TenantId == scope.TenantId && key.UserId == scope.UserId && scope.Includes(key.BotId))
                {
                    _conversations.TryRemove(key, out _);
                }
            }

            return [new("conversations", conversations, UserDataAction.Deleted), new("messages", messages, UserDataAction.Deleted)];
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "erasing a person's conversations");
        }
    }

    private static void AddScope(SqliteCommand command, UserDataScope scope)
    {
        command.Parameters.AddWithValue("$tenant", scope.TenantId);
        command.Parameters.AddWithValue("$user", scope.UserId);
        command.Parameters.AddWithValue("$bot", (object?)scope.BotId ?? DBNull.Value);
    }
}
