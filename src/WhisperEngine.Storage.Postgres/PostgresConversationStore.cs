using System.Collections.Concurrent;
using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Storage.Postgres;

/// <summary>Conversation history in PostgreSQL. Each append is one statement in its own transaction.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed partial class PostgresConversationStore(PostgresDatabase db, TimeProvider time) : IConversationStore
{
    private readonly ConcurrentDictionary<ConversationKey, Conversation> _conversations = new();

    public async ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default)
    {
        if (_conversations.TryGetValue(key, out var cached))
        {
            return cached;
        }

        try
        {
            await using var command = db.DataSource.CreateCommand("""
                WITH inserted AS (
                    INSERT INTO conversations (tenant_id, bot_id, user_id, channel_id, privacy, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (tenant_id, bot_id, user_id, channel_id) DO NOTHING
                    RETURNING id, privacy, created_at)
                SELECT id, privacy, created_at FROM inserted
                UNION ALL
                SELECT id, privacy, created_at FROM conversations
                WHERE tenant_id = $1 AND bot_id = $2 AND user_id = $3 AND channel_id = $4
                LIMIT 1;
                """);
            AddKey(command, key);
            command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)privacy });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = time.GetUtcNow().ToUnixTimeMilliseconds() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new StorageException($"Conversation {key} could not be created or found.", true);
            }

            var conversation = new Conversation(reader.GetInt64(0), key, (PrivacyLevel)reader.GetInt16(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
            return _conversations.GetOrAdd(key, conversation);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "opening a conversation");
        }
    }

    public async ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        try
        {
            if (await InsertMessageAsync(conversation.Id, message) is { } stored)
            {
                return stored;
            }

            // The conversation was erased (a person forgotten, maybe by another process) after the caller looked it
            // up: the message starts it again, under a new id that the returned message carries.
            _conversations.TryRemove(conversation.Key, out _);
            var fresh = await GetOrCreateConversationAsync(conversation.Key, conversation.Privacy, cancellationToken);
            return await InsertMessageAsync(fresh.Id, message)
                ?? throw new StorageException($"Conversation {conversation.Key} vanished again right after it was started.", true);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "storing a message");
        }
    }

    /// <summary>
    /// Inserts the message; null when the conversation no longer exists. Throws <see cref="StaleFencingTokenException"/>
    /// when the message's fencing token is older than one that already wrote to the conversation.
    /// </summary>
    private async Task<StoredMessage?> InsertMessageAsync(long conversationId, NewMessage message)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var command = db.DataSource.CreateCommand(InsertSql(message));
        AddMessage(command.Parameters, conversationId, message, now);
        long? id;
        try
        {
            // Once sent, the insert must not be abandoned half-way by a cancelled caller.
            id = await command.ExecuteScalarAsync(CancellationToken.None) as long?;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return null;
        }

        if (id is null)
        {
            // Nothing written under a fencing token: the conversation is gone, or a newer token wrote to it.
            await using var exists = db.DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = $1);");
            exists.Parameters.Add(new NpgsqlParameter<long> { TypedValue = conversationId });
            return (bool)(await exists.ExecuteScalarAsync(CancellationToken.None))!
                ? throw new StaleFencingTokenException(conversationId, message.FencingToken ?? 0)
                : null;
        }

        return Stored(id.Value, conversationId, message, now);
    }

    // With a fencing token one statement moves the conversation's highest token up and inserts only when it did: an
    // older token than one already seen writes nothing (and costs no extra round trip).
    private static string InsertSql(NewMessage message) => message.FencingToken is null
        ? """
            INSERT INTO messages (conversation_id, role, content, created_at, token_count, flags, model)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id;
            """
        : """
            WITH fenced AS (UPDATE conversations SET fence = $8 WHERE id = $1 AND fence <= $8 RETURNING id)
            INSERT INTO messages (conversation_id, role, content, created_at, token_count, flags, model)
            SELECT $1, $2, $3, $4, $5, $6, $7 FROM fenced RETURNING id;
            """;

    private static void AddMessage(NpgsqlParameterCollection parameters, long conversationId, NewMessage message, long now)
    {
        parameters.Add(new NpgsqlParameter<long> { TypedValue = conversationId });
        parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)message.Role });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Content });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = message.TokenCount });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)message.Flags });
        parameters.Add(new NpgsqlParameter { Value = (object?)message.Model ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        if (message.FencingToken is { } fence)
        {
            parameters.Add(new NpgsqlParameter<long> { TypedValue = fence });
        }
    }

    private static StoredMessage Stored(long id, long conversationId, NewMessage message, long now) =>
        new(id, conversationId, message.Role, message.Content, DateTimeOffset.FromUnixTimeMilliseconds(now), message.TokenCount, message.Flags, message.Model);

    /// <summary>
    /// The insert and the read of the newest messages in one batch: one round trip and one transaction, so a failure
    /// stores nothing. When the insert writes nothing (the conversation erased, or a newer fencing token), the
    /// single-statement path sorts out why, as <see cref="AppendMessageAsync"/> does.
    /// </summary>
    public async ValueTask<AppendedMessage> AppendMessageAndReadRecentAsync(Conversation conversation, NewMessage message, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long? id = null;
        var recent = new List<StoredMessage>(Math.Min(limit, 256));
        try
        {
            await using var batch = db.DataSource.CreateBatch();
            var insert = new NpgsqlBatchCommand(InsertSql(message));
            AddMessage(insert.Parameters, conversation.Id, message, now);
            var read = new NpgsqlBatchCommand(RecentSql);
            AddRecent(read.Parameters, conversation.Id, limit);
            batch.BatchCommands.Add(insert);
            batch.BatchCommands.Add(read);
            try
            {
                // Once sent, the insert must not be abandoned half-way by a cancelled caller.
                await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
                if (await reader.ReadAsync(CancellationToken.None))
                {
                    id = reader.GetInt64(0);
                }

                await reader.NextResultAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    recent.Add(ReadMessage(reader, conversation.Id));
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                id = null;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "storing a message");
        }

        if (id is { } stored)
        {
            recent.Reverse();
            return new AppendedMessage(Stored(stored, conversation.Id, message, now), recent);
        }

        return await this.AppendThenReadRecentAsync(conversation, message, limit, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand(RecentSql);
            AddRecent(command.Parameters, conversation.Id, limit);
            var messages = new List<StoredMessage>(Math.Min(limit, 256));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(ReadMessage(reader, conversation.Id));
            }

            messages.Reverse();
            return messages;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "reading history");
        }
    }

    private const string RecentSql = """
        SELECT id, role, content, created_at, token_count, flags, model FROM messages
        WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2;
        """;

    private static void AddRecent(NpgsqlParameterCollection parameters, long conversationId, int limit)
    {
        parameters.Add(new NpgsqlParameter<long> { TypedValue = conversationId });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
    }

    private static StoredMessage ReadMessage(NpgsqlDataReader reader, long conversationId) =>
        new(reader.GetInt64(0), conversationId, (MessageRole)reader.GetInt16(1), reader.GetString(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt32(4), (MessageFlags)reader.GetInt32(5),
            reader.IsDBNull(6) ? null : reader.GetString(6));

    public async ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand("""
                DELETE FROM messages WHERE conversation_id IN (
                    SELECT id FROM conversations WHERE tenant_id = $1 AND bot_id = $2 AND user_id = $3 AND channel_id = $4);
                """);
            AddKey(command, key);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "forgetting a conversation");
        }
    }

    public async ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand("""
                SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE c.tenant_id = $1 AND c.bot_id = $2 AND c.user_id = $3 AND c.channel_id = $4;
                """);
            AddKey(command, key);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "counting messages");
        }
    }

    public async ValueTask<bool> MessageExistsAsync(ConversationKey key, long messageId, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand("""
                SELECT EXISTS (SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE c.tenant_id = $1 AND c.bot_id = $2 AND c.user_id = $3 AND c.channel_id = $4 AND m.id = $5);
                """);
            AddKey(command, key);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = messageId });
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "looking up a message");
        }
    }

    private static void AddKey(NpgsqlCommand command, ConversationKey key)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.BotId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.ChannelId });
    }
}
