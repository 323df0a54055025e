using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Memory.Postgres.Facts;

public sealed partial class PostgresFactStore
{
    public async ValueTask<FactRecord> AddAsync(FactOwner owner, NewFact fact, CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        var valid = FactRules.Validated(fact);
        return await WriteAsync(owner, "storing a fact", async (connection, now) =>
        {
            var (record, _, _) = await FactWrites.AddAsync(new Steps(connection), owner, valid, null, now);
            return (record, true);
        }, cancellationToken);
    }

    public async ValueTask<FactApplyResult> ApplyAsync(FactOwner owner, IReadOnlyList<FactOperation> operations, ExtractionMark? mark = null,
        CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        var batch = FactRules.Validated(operations);
        FactRules.CheckMark(owner, mark);
        return await WriteAsync(owner, "applying fact changes",
            (connection, now) => FactWrites.ApplyAsync(new Steps(connection), owner, batch, mark, now), cancellationToken);
    }

    public async ValueTask SetExtractedUpToAsync(ExtractionMark mark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mark);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            // One upsert that keeps the higher mark: no lock needed.
            await using var connection = await _db.DataSource.OpenConnectionAsync(cancellationToken);
            await MarkAsync(connection, mark, now);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "moving a fact extraction mark");
        }
    }

    public async ValueTask<bool> DeleteAsync(FactOwner owner, long id, CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        return await WriteAsync(owner, "deleting a fact", async (connection, _) =>
        {
            // The fact and every fact of its owner, subject and key that is retired: the history of that one fact.
            await using var command = new NpgsqlCommand($"""
                DELETE FROM facts WHERE {OwnerKey} AND (id = $4 OR (retired_at IS NOT NULL
                    AND (subject, fact_key) = (SELECT subject, fact_key FROM facts WHERE id = $4 AND {OwnerKey})));
                """, connection);
            AddOwner(command, owner);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            var deleted = await command.ExecuteNonQueryAsync(CancellationToken.None);
            return (deleted > 0, true);
        }, cancellationToken);
    }

    public async ValueTask<int> DeleteAllAsync(FactOwner owner, CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        return await WriteAsync(owner, "deleting facts", async (connection, _) =>
        {
            await using var command = new NpgsqlCommand($"DELETE FROM facts WHERE {OwnerKey};", connection);
            AddOwner(command, owner);
            var deleted = await command.ExecuteNonQueryAsync(CancellationToken.None);
            await using var marks = new NpgsqlCommand($"DELETE FROM fact_extraction_marks WHERE {OwnerKey};", connection);
            AddOwner(marks, owner);
            await marks.ExecuteNonQueryAsync(CancellationToken.None);
            return (deleted, true);
        }, cancellationToken);
    }

    /// <summary>Adds a fact, superseding (or confirming) the active fact of its key; returns the fact now active, whether it is new, and the id superseded.</summary>
    private static async Task<FactRecord> InsertAsync(NpgsqlConnection connection, FactOwner owner, NewFact fact, long now)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
            RETURNING id;
            """, connection);
        AddOwner(command, owner);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)fact.Subject });
        p.Add(new NpgsqlParameter<string> { TypedValue = fact.Key });
        p.Add(new NpgsqlParameter<string> { TypedValue = fact.Value });
        p.Add(new NpgsqlParameter<double> { TypedValue = fact.Confidence });
        p.Add(new NpgsqlParameter<string> { TypedValue = fact.Source });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)fact.Privacy });
        p.Add(new NpgsqlParameter<string> { TypedValue = fact.ChannelId });
        p.Add(new NpgsqlParameter<long> { TypedValue = now });
        var id = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        return new FactRecord
        {
            Id = id,
            Owner = owner,
            Subject = fact.Subject,
            Key = fact.Key,
            Value = fact.Value,
            Confidence = fact.Confidence,
            Source = fact.Source,
            Privacy = fact.Privacy,
            ChannelId = fact.ChannelId,
            CreatedAt = at,
            UpdatedAt = at,
        };
    }

    private static async Task<FactRecord> ConfirmAsync(NpgsqlConnection connection, FactRecord existing, double confidence, long now)
    {
        var higher = Math.Max(existing.Confidence, confidence);
        await using var command = new NpgsqlCommand("UPDATE facts SET confidence = $1, updated_at = $2 WHERE id = $3;", connection);
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = higher });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = existing.Id });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        return existing with { Confidence = higher, UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) };
    }

    private static async Task RetireAsync(NpgsqlConnection connection, long id, string? reason, long now)
    {
        await using var command = new NpgsqlCommand("UPDATE facts SET retired_at = $1, updated_at = $1, retired_reason = $2 WHERE id = $3;", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task SetSupersededByAsync(NpgsqlConnection connection, long oldId, long newId)
    {
        await using var command = new NpgsqlCommand("UPDATE facts SET superseded_by = $1 WHERE id = $2;", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = newId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = oldId });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task MarkAsync(NpgsqlConnection connection, ExtractionMark mark, long now)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO fact_extraction_marks (tenant_id, bot_id, user_id, channel_id, last_message_id, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (tenant_id, bot_id, user_id, channel_id)
            DO UPDATE SET last_message_id = GREATEST(fact_extraction_marks.last_message_id, EXCLUDED.last_message_id), updated_at = EXCLUDED.updated_at;
            """, connection);
        AddMark(command, mark.Conversation);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = mark.UpToMessageId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static Task<FactRecord?> FindActiveAsync(NpgsqlConnection connection, FactOwner owner, long id) =>
        FindOneAsync(connection, owner, "id = $4 AND retired_at IS NULL", p => p.Add(new NpgsqlParameter<long> { TypedValue = id }));

    private static Task<FactRecord?> FindActiveByKeyAsync(NpgsqlConnection connection, FactOwner owner, NewFact fact) =>
        FindOneAsync(connection, owner, "subject = $4 AND fact_key = $5 AND retired_at IS NULL", p =>
        {
            p.Add(new NpgsqlParameter<short> { TypedValue = (short)fact.Subject });
            p.Add(new NpgsqlParameter<string> { TypedValue = fact.Key });
        });

    private static async Task<FactRecord?> FindOneAsync(NpgsqlConnection connection, FactOwner owner, string filter, Action<NpgsqlParameterCollection> parameters)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM facts WHERE {OwnerKey} AND {filter};", connection);
        AddOwner(command, owner);
        parameters(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        return await reader.ReadAsync(CancellationToken.None) ? Read(reader, owner) : null;
    }

    /// <summary>
    /// Runs one write transaction holding the owner's advisory lock (released at commit or rollback); rolls back when
    /// <paramref name="write"/> says not to commit.
    /// </summary>
    private async ValueTask<T> WriteAsync<T>(FactOwner owner, string operation, Func<NpgsqlConnection, long, Task<(T Result, bool Commit)>> write,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await using var connection = await _db.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockOwner = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(concat_ws(chr(31), 'facts', $1, $2, $3), 0));", connection))
            {
                AddOwner(lockOwner, owner);
                await lockOwner.ExecuteNonQueryAsync(cancellationToken);
            }

            var (result, commit) = await write(connection, now);
            if (commit)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }

            return result;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, operation);
        }
    }
}
