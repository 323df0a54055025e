using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Memory.Sqlite.Facts;

public sealed partial class SqliteFactStore
{
    public async ValueTask<FactRecord> AddAsync(FactOwner owner, NewFact fact, CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        var valid = FactRules.Validated(fact);
        return await WriteAsync("storing a fact", async (command, now) =>
        {
            var (record, _, _) = await FactWrites.AddAsync(new Steps(command), owner, valid, null, now);
            return (record, true);
        }, cancellationToken);
    }

    public async ValueTask<FactApplyResult> ApplyAsync(FactOwner owner, IReadOnlyList<FactOperation> operations, ExtractionMark? mark = null,
        CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        var batch = FactRules.Validated(operations);
        FactRules.CheckMark(owner, mark);
        return await WriteAsync("applying fact changes",
            (command, now) => FactWrites.ApplyAsync(new Steps(command), owner, batch, mark, now), cancellationToken);
    }

    public async ValueTask SetExtractedUpToAsync(ExtractionMark mark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mark);
        await WriteAsync("moving a fact extraction mark", async (command, now) =>
        {
            await MarkAsync(command, mark, now);
            return (0, true);
        }, cancellationToken);
    }

    public async ValueTask<bool> DeleteAsync(FactOwner owner, long id, CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        return await WriteAsync("deleting a fact", async (command, _) =>
        {
            // The fact and every fact of its owner, subject and key that is retired: the history of that one fact.
            command.CommandText = """
                DELETE FROM facts WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user AND (id = $id OR (retired_at IS NOT NULL
                    AND (subject, fact_key) = (SELECT subject, fact_key FROM facts WHERE id = $id AND tenant_id = $tenant AND bot_id = $bot AND user_id = $user)));
                """;
            command.Parameters.Clear();
            AddOwner(command, owner);
            command.Parameters.AddWithValue("$id", id);
            var deleted = await command.ExecuteNonQueryAsync(CancellationToken.None);
            return (deleted > 0, true);
        }, cancellationToken);
    }

    public async ValueTask<int> DeleteAllAsync(FactOwner owner, CancellationToken cancellationToken = default)
    {
        FactRules.Check(owner);
        return await WriteAsync("deleting facts", async (command, _) =>
        {
            command.CommandText = "DELETE FROM facts WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user;";
            command.Parameters.Clear();
            AddOwner(command, owner);
            var deleted = await command.ExecuteNonQueryAsync(CancellationToken.None);
            command.CommandText = "DELETE FROM fact_extraction_marks WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user;";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            return (deleted, true);
        }, cancellationToken);
    }

    /// <summary>Adds a fact, superseding (or confirming) the active fact of its key; returns the fact now active, whether it is new, and the id superseded.</summary>
    private static async Task<FactRecord> InsertAsync(SqliteCommand command, FactOwner owner, NewFact fact, long now)
    {
        command.CommandText = """
            INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at)
            VALUES ($tenant, $bot, $user, $subject, $key, $value, $confidence, $source, $privacy, $channel, $now, $now)
            RETURNING id;
            """;
        command.Parameters.Clear();
        AddOwner(command, owner);
        var p = command.Parameters;
        p.AddWithValue("$subject", (int)fact.Subject);
        p.AddWithValue("$key", fact.Key);
        p.AddWithValue("$value", fact.Value);
        p.AddWithValue("$confidence", fact.Confidence);
        p.AddWithValue("$source", fact.Source);
        p.AddWithValue("$privacy", (int)fact.Privacy);
        p.AddWithValue("$channel", fact.ChannelId);
        p.AddWithValue("$now", now);
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

    private static async Task<FactRecord> ConfirmAsync(SqliteCommand command, FactRecord existing, double confidence, long now)
    {
        var higher = Math.Max(existing.Confidence, confidence);
        command.CommandText = "UPDATE facts SET confidence = $confidence, updated_at = $now WHERE id = $id;";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$confidence", higher);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$id", existing.Id);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        return existing with { Confidence = higher, UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) };
    }

    private static async Task RetireAsync(SqliteCommand command, long id, string? reason, long now)
    {
        command.CommandText = "UPDATE facts SET retired_at = $now, updated_at = $now, retired_reason = $reason WHERE id = $id;";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task SetSupersededByAsync(SqliteCommand command, long oldId, long newId)
    {
        command.CommandText = "UPDATE facts SET superseded_by = $new WHERE id = $old;";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$new", newId);
        command.Parameters.AddWithValue("$old", oldId);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task MarkAsync(SqliteCommand command, ExtractionMark mark, long now)
    {
        command.CommandText = """
            INSERT INTO fact_extraction_marks (tenant_id, bot_id, user_id, channel_id, last_message_id, updated_at)
            VALUES ($tenant, $bot, $user, $channel, $last, $now)
            ON CONFLICT (tenant_id, bot_id, user_id, channel_id)
            DO UPDATE SET last_message_id = max(last_message_id, excluded.last_message_id), updated_at = excluded.updated_at;
            """;
        command.Parameters.Clear();
        AddMark(command, mark.Conversation);
        command.Parameters.AddWithValue("$last", mark.UpToMessageId);
        command.Parameters.AddWithValue("$now", now);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static Task<FactRecord?> FindActiveAsync(SqliteCommand command, FactOwner owner, long id) =>
        FindOneAsync(command, owner, "id = $id AND retired_at IS NULL", p => p.AddWithValue("$id", id));

    private static Task<FactRecord?> FindActiveByKeyAsync(SqliteCommand command, FactOwner owner, NewFact fact) =>
        FindOneAsync(command, owner, "subject = $subject AND fact_key = $key AND retired_at IS NULL", p =>
        {
            p.AddWithValue("$subject", (int)fact.Subject);
            p.AddWithValue("$key", fact.Key);
        });

    private static async Task<FactRecord?> FindOneAsync(SqliteCommand command, FactOwner owner, string filter, Action<SqliteParameterCollection> parameters)
    {
        command.CommandText = $"SELECT {Columns} FROM facts WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user AND {filter};";
        command.Parameters.Clear();
        AddOwner(command, owner);
        parameters(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        return await reader.ReadAsync(CancellationToken.None) ? Read(reader, owner) : null;
    }

    /// <summary>Runs one write transaction under the write lock; rolls back when <paramref name="write"/> says not to commit.</summary>
    private async ValueTask<T> WriteAsync<T>(string operation, Func<SqliteCommand, long, Task<(T Result, bool Commit)>> write, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                // BEGIN IMMEDIATE: the write lock is taken before the first read, so another process cannot change what we read.
                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var (result, commit) = await write(command, now);
                if (commit)
                {
                    await transaction.CommitAsync(CancellationToken.None);
                }

                return result;
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, operation);
        }
    }
}
