using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Memory.Sqlite.Facts;

/// <summary>
/// Facts in SQLite: one row per value, retired rows kept as history; a partial unique index allows one active value
/// per owner, subject and key.
/// </summary>
/// <remarks>Thread-safe. Writes are serialised by the database's write lock; each is one transaction, durable when it returns.</remarks>
public sealed partial class SqliteFactStore : IFactStore
{
    private const string Columns = """
        id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at, retired_at, superseded_by, retired_reason
        """;

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public SqliteFactStore(SqliteDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    public ValueTask<IReadOnlyList<FactRecord>> GetActiveAsync(FactOwner owner, CancellationToken cancellationToken = default) =>
        ReadAsync(owner, "AND retired_at IS NULL", cancellationToken);

    public ValueTask<IReadOnlyList<FactRecord>> GetAllAsync(FactOwner owner, CancellationToken cancellationToken = default) =>
        ReadAsync(owner, "", cancellationToken);

    public async ValueTask<long> GetExtractedUpToAsync(ConversationKey conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT last_message_id FROM fact_extraction_marks
                WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user AND channel_id = $channel;
                """;
            AddMark(command, conversation);
            return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : 0;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading a fact extraction mark");
        }
    }

    public async ValueTask<IReadOnlyList<FactOwner>> GetOwnersAsync(string tenantId, string userId, string? botId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT bot_id FROM facts WHERE tenant_id = $tenant AND user_id = $user AND ($bot IS NULL OR bot_id = $bot)
                UNION
                SELECT bot_id FROM fact_extraction_marks WHERE tenant_id = $tenant AND user_id = $user AND ($bot IS NULL OR bot_id = $bot)
                ORDER BY bot_id;
                """;
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$bot", (object?)botId ?? DBNull.Value);
            var owners = new List<FactOwner>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                owners.Add(new FactOwner(tenantId, reader.GetString(0), userId));
            }

            return owners;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "finding a person's facts");
        }
    }

    private async ValueTask<IReadOnlyList<FactRecord>> ReadAsync(FactOwner owner, string filter, CancellationToken cancellationToken)
    {
        FactRules.Check(owner);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {Columns} FROM facts
                WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user {filter}
                ORDER BY id;
                """;
            AddOwner(command, owner);
            var facts = new List<FactRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                facts.Add(Read(reader, owner));
            }

            return facts;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading facts");
        }
    }

    private static FactRecord Read(SqliteDataReader r, FactOwner owner) => new()
    {
        Id = r.GetInt64(0),
        Owner = owner,
        Subject = (FactSubject)r.GetInt32(1),
        Key = r.GetString(2),
        Value = r.GetString(3),
        Confidence = r.GetDouble(4),
        Source = r.GetString(5),
        Privacy = (PrivacyLevel)r.GetInt32(6),
        ChannelId = r.GetString(7),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        RetiredAt = r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        SupersededBy = r.IsDBNull(11) ? null : r.GetInt64(11),
        RetiredReason = r.IsDBNull(12) ? null : r.GetString(12),
    };

    private static void AddOwner(SqliteCommand command, FactOwner owner)
    {
        command.Parameters.AddWithValue("$tenant", owner.TenantId);
        command.Parameters.AddWithValue("$bot", owner.BotId);
        command.Parameters.AddWithValue("$user", owner.UserId ?? "");
    }

    private static void AddMark(SqliteCommand command, ConversationKey conversation)
    {
        command.Parameters.AddWithValue("$tenant", conversation.TenantId);
        command.Parameters.AddWithValue("$bot", conversation.BotId);
        command.Parameters.AddWithValue("$user", conversation.UserId);
        command.Parameters.AddWithValue("$channel", conversation.ChannelId);
    }
}
