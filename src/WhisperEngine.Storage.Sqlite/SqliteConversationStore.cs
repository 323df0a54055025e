using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>Conversation history in SQLite. Each append is its own transaction: durable when it returns.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed partial class SqliteConversationStore : IConversationStore
{
    /// <summary>SQLITE_CONSTRAINT_FOREIGNKEY: a message for a conversation that no longer exists.</summary>
    private const int ForeignKeyViolation = 787;

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ConversationKey, Conversation> _conversations = new();

    public SqliteConversationStore(SqliteDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    public async ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default)
    {
        if (_conversations.TryGetValue(key, out var cached))
        {
            return cached;
        }

        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            var existing = await FindAsync(connection, key, cancellationToken);
            if (existing is null)
            {
                await _db.WriteLock.WaitAsync(cancellationToken);
                try
                {
                    await using var insert = connection.CreateCommand();
                    insert.CommandText = """
                        INSERT INTO conversations (tenant_id, bot_id, user_id, channel_id, privacy, created_at)
                        VALUES ($tenant, $bot, $user, $channel, $privacy, $now)
                        ON CONFLICT (tenant_id, bot_id, user_id, channel_id) DO NOTHING;
                        """;
                    AddKey(insert, key);
                    insert.Parameters.AddWithValue("$privacy", (int)privacy);
                    insert.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                finally
                {
                    _db.WriteLock.Release();
                }

                existing = await FindAsync(connection, key, cancellationToken)
                    ?? throw new StorageException($"Conversation {key} vanished right after it was created.", true);
            }

            return _conversations.GetOrAdd(key, existing);
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "opening a conversation");
        }
    }

    public async ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        try
        {
            if (await InsertMessageAsync(conversation.Id, message, cancellationToken) is { } stored)
            {
                return stored;
            }

            // The conversation was erased (a person forgotten, maybe by another process) after the caller looked it
            // up: the message starts it again, under a new id that the returned message carries.
            _conversations.TryRemove(conversation.Key, out _);
            var fresh = await GetOrCreateConversationAsync(conversation.Key, conversation.Privacy, cancellationToken);
            return await InsertMessageAsync(fresh.Id, message, cancellationToken)
                ?? throw new StorageException($"Conversation {conversation.Key} vanished again right after it was started.", true);
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "storing a message");
        }
    }

    /// <summary>
    /// Inserts the message; null when the conversation no longer exists. Throws <see cref="StaleFencingTokenException"/>
    /// when the message's fencing token is older than one that already wrote to the conversation.
    /// </summary>
    private async Task<StoredMessage?> InsertMessageAsync(long conversationId, NewMessage message, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await _db.OpenAsync(cancellationToken);
        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            // With a fencing token the conversation's highest token moves up first, and the insert happens only
            // when it did (changes() = 1): an older token than one already seen writes nothing.
            command.CommandText = message.FencingToken is { } fence
                ? """
                    UPDATE conversations SET fence = $fence WHERE id = $conversation AND fence <= $fence;
                    INSERT INTO messages (conversation_id, role, content, created_at, token_count, flags, model)
                    SELECT $conversation, $role, $content, $now, $tokens, $flags, $model WHERE changes() = 1
                    RETURNING id;
                    """
                : """
                    INSERT INTO messages (conversation_id, role, content, created_at, token_count, flags, model)
                    VALUES ($conversation, $role, $content, $now, $tokens, $flags, $model)
                    RETURNING id;
                    """;
            if (message.FencingToken is { } token)
            {
                command.Parameters.AddWithValue("$fence", token);
            }

            command.Parameters.AddWithValue("$conversation", conversationId);
            command.Parameters.AddWithValue("$role", (int)message.Role);
            command.Parameters.AddWithValue("$content", message.Content);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$tokens", message.TokenCount);
            command.Parameters.AddWithValue("$flags", (int)message.Flags);
            command.Parameters.AddWithValue("$model", (object?)message.Model ?? DBNull.Value);
            long? id;
            try
            {
                id = await command.ExecuteScalarAsync(CancellationToken.None) as long?;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == ForeignKeyViolation)
            {
                return null;
            }

            if (id is null)
            {
                // Nothing written under a fencing token: the conversation is gone, or a newer token wrote to it.
                command.Parameters.Clear();
                command.CommandText = "SELECT COUNT(*) FROM conversations WHERE id = $conversation;";
                command.Parameters.AddWithValue("$conversation", conversationId);
                return (long)(await command.ExecuteScalarAsync(CancellationToken.None))! == 0
                    ? null
                    : throw new StaleFencingTokenException(conversationId, message.FencingToken ?? 0);
            }

            return new StoredMessage(id.Value, conversationId, message.Role, message.Content,
                DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), message.TokenCount, message.Flags, message.Model);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }

    /// <summary>The append, then the read: both are local calls here, with no round trip to save.</summary>
    public ValueTask<AppendedMessage> AppendMessageAndReadRecentAsync(Conversation conversation, NewMessage message, int limit,
        CancellationToken cancellationToken = default) =>
        this.AppendThenReadRecentAsync(conversation, message, limit, cancellationToken);

    public async ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT id, role, content, created_at, token_count, flags, model FROM messages
                WHERE conversation_id = $conversation ORDER BY id DESC LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$conversation", conversation.Id);
            command.Parameters.AddWithValue("$limit", limit);
            var messages = new List<StoredMessage>(Math.Min(limit, 256));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(new StoredMessage(
                    reader.GetInt64(0),
                    conversation.Id,
                    (MessageRole)reader.GetInt32(1),
                    reader.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                    reader.GetInt32(4),
                    (MessageFlags)reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }

            messages.Reverse();
            return messages;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading history");
        }
    }

    public async ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    DELETE FROM messages WHERE conversation_id IN (
                        SELECT id FROM conversations
                        WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user AND channel_id = $channel);
                    """;
                AddKey(command, key);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "forgetting a conversation");
        }
    }

    public async ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE c.tenant_id = $tenant AND c.bot_id = $bot AND c.user_id = $user AND c.channel_id = $channel;
                """;
            AddKey(command, key);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "counting messages");
        }
    }

    public async ValueTask<bool> MessageExistsAsync(ConversationKey key, long messageId, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT EXISTS (SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE m.id = $id AND c.tenant_id = $tenant AND c.bot_id = $bot AND c.user_id = $user AND c.channel_id = $channel);
                """;
            AddKey(command, key);
            command.Parameters.AddWithValue("$id", messageId);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "looking up a message");
        }
    }

    private static async Task<Conversation?> FindAsync(SqliteConnection connection, ConversationKey key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, privacy, created_at FROM conversations
            WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user AND channel_id = $channel;
            """;
        AddKey(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Conversation(reader.GetInt64(0), key, (PrivacyLevel)reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }

    private static void AddKey(SqliteCommand command, ConversationKey key)
    {
        command.Parameters.AddWithValue("$tenant", key.TenantId);
        command.Parameters.AddWithValue("$bot", key.BotId);
        command.Parameters.AddWithValue("$user", key.UserId);
        command.Parameters.AddWithValue("$channel", key.ChannelId);
    }
}
