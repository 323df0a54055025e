using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Memory.Postgres.Facts;

/// <summary>
/// Facts in PostgreSQL: one row per value, retired rows kept as history; a partial unique index allows one active value
/// per owner, subject and key (the same rows as the SQLite store).
/// </summary>
/// <remarks>
/// Thread-safe, and safe across processes: each write is one transaction that first takes a transaction-scoped advisory
/// lock on its owner, so two writers of one owner (two engine processes, or two extraction jobs) queue instead of
/// both reading the same active fact and colliding on the unique index. Durable when it returns.
/// </remarks>
public sealed partial class PostgresFactStore : IFactStore
{
    private const string Columns = """
        id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at, retired_at, superseded_by, retired_reason
        """;

    /// <summary>The owner named by parameters $1, $2, $3 (tenant, bot, user; '' for a bot's global facts).</summary>
    private const string OwnerKey = "tenant_id = $1 AND bot_id = $2 AND user_id = $3";

    private readonly PostgresDatabase _db;
    private readonly TimeProvider _time;

    public PostgresFactStore(PostgresDatabase db, TimeProvider time)
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
            await using var command = _db.DataSource.CreateCommand($"SELECT last_message_id FROM fact_extraction_marks WHERE {OwnerKey} AND channel_id = $4;");
            AddMark(command, conversation);
            return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
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
            // COLLATE "C": the same byte order as SQLite's, whatever the database's collation.
            await using var command = _db.DataSource.CreateCommand("""
                SELECT bot_id FROM (
                    SELECT bot_id FROM facts WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR bot_id = $3)
                    UNION
                    SELECT bot_id FROM fact_extraction_marks WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR bot_id = $3)) b
                ORDER BY bot_id COLLATE "C";
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)botId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            var owners = new List<FactOwner>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                owners.Add(new FactOwner(tenantId, reader.GetString(0), userId));
            }

            return owners;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "finding a person's facts");
        }
    }

    private async ValueTask<IReadOnlyList<FactRecord>> ReadAsync(FactOwner owner, string filter, CancellationToken cancellationToken)
    {
        FactRules.Check(owner);
        try
        {
            await using var command = _db.DataSource.CreateCommand($"SELECT {Columns} FROM facts WHERE {OwnerKey} {filter} ORDER BY id;");
            AddOwner(command, owner);
            var facts = new List<FactRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                facts.Add(Read(reader, owner));
            }

            return facts;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "reading facts");
        }
    }

    private static FactRecord Read(NpgsqlDataReader r, FactOwner owner) => new()
    {
        Id = r.GetInt64(0),
        Owner = owner,
        Subject = (FactSubject)r.GetInt16(1),
        Key = r.GetString(2),
        Value = r.GetString(3),
        Confidence = r.GetDouble(4),
        Source = r.GetString(5),
        Privacy = (PrivacyLevel)r.GetInt16(6),
        ChannelId = r.GetString(7),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        RetiredAt = r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        SupersededBy = r.IsDBNull(11) ? null : r.GetInt64(11),
        RetiredReason = r.IsDBNull(12) ? null : r.GetString(12),
    };

    /// <summary>Parameters $1, $2, $3: the owner.</summary>
    private static void AddOwner(NpgsqlCommand command, FactOwner owner)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.BotId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.UserId ?? "" });
    }

    /// <summary>Parameters $1 to $4: the conversation.</summary>
    private static void AddMark(NpgsqlCommand command, ConversationKey conversation)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation.BotId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation.ChannelId });
    }
}
