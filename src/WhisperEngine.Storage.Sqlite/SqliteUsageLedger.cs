using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>The usage ledger in SQLite.</summary>
/// <remarks>Thread-safe. A failed write is logged and dropped: accounting never breaks a reply.</remarks>
public sealed partial class SqliteUsageLedger : IUsageLedger
{
    private const string Columns = """
        ts, tenant_id, bot_id, user_id, task, model, provider, prompt_tokens, completion_tokens, cached_tokens,
            tokens_estimated, cost_usd, latency_ms, ttft_ms, outcome, routing_reason, cost_source
        """;

    private readonly SqliteDatabase _db;
    private readonly ILogger _logger;

    public SqliteUsageLedger(SqliteDatabase db, ILogger<SqliteUsageLedger> logger)
    {
        _db = db;
        _logger = logger;
    }

    public async ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO usage_ledger (ts, tenant_id, bot_id, user_id, task, model, provider, prompt_tokens, completion_tokens,
                        cached_tokens, tokens_estimated, cost_usd, latency_ms, ttft_ms, outcome, routing_reason, cost_source)
                    VALUES ($ts, $tenant, $bot, $user, $task, $model, $provider, $prompt, $completion, $cached, $estimated, $cost,
                        $latency, $ttft, $outcome, $reason, $source);
                    """;
                var p = command.Parameters;
                p.AddWithValue("$ts", record.Timestamp.ToUnixTimeMilliseconds());
                p.AddWithValue("$tenant", record.TenantId);
                p.AddWithValue("$bot", record.BotId);
                p.AddWithValue("$user", record.UserId);
                p.AddWithValue("$task", record.Task);
                p.AddWithValue("$model", record.Model);
                p.AddWithValue("$provider", record.Provider);
                p.AddWithValue("$prompt", record.PromptTokens);
                p.AddWithValue("$completion", record.CompletionTokens);
                p.AddWithValue("$cached", record.CachedTokens);
                p.AddWithValue("$estimated", record.TokensEstimated ? 1 : 0);
                p.AddWithValue("$cost", record.CostUsd is { } cost ? cost.ToString(CultureInfo.InvariantCulture) : DBNull.Value);
                p.AddWithValue("$latency", record.LatencyMs);
                p.AddWithValue("$ttft", (object?)record.TimeToFirstTokenMs ?? DBNull.Value);
                p.AddWithValue("$outcome", record.Outcome);
                p.AddWithValue("$reason", (object?)record.RoutingReason ?? DBNull.Value);
                p.AddWithValue("$source", (object?)record.CostSource ?? DBNull.Value);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (Exception ex) when (ex is SqliteException or OperationCanceledException)
        {
            Log.RecordFailed(_logger, ex, record.Model);
        }
    }

    public async ValueTask<IReadOnlyList<UsageRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {Columns}
                FROM usage_ledger ORDER BY id DESC LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$limit", limit);
            var records = new List<UsageRecord>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                records.Add(Map(r));
            }

            return records;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading the usage ledger");
        }
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset? since, DateTimeOffset? until,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        SqliteConnection? connection = null;
        SqliteCommand? command = null;
        SqliteDataReader? reader = null;
        try
        {
            connection = await _db.OpenAsync(cancellationToken);
            command = connection.CreateCommand();
            // Bounds are added only when given, so that the ts index serves the range.
            var where = new List<string>();
            if (since is { } from)
            {
                where.Add("ts >= $since");
                command.Parameters.AddWithValue("$since", from.ToUnixTimeMilliseconds());
            }

            if (until is { } to)
            {
                where.Add("ts < $until");
                command.Parameters.AddWithValue("$until", to.ToUnixTimeMilliseconds());
            }

            command.CommandText = $"SELECT {Columns} FROM usage_ledger" +
                (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY ts, id;";
            reader = await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            await DisposeAsync(reader, command, connection);
            throw _db.Translate(ex, "reading the usage ledger");
        }

        try
        {
            while (await NextAsync(reader, cancellationToken))
            {
                yield return Map(reader);
            }
        }
        finally
        {
            await DisposeAsync(reader, command, connection);
        }
    }

    private async ValueTask<bool> NextAsync(SqliteDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading the usage ledger");
        }
    }

    private static async ValueTask DisposeAsync(SqliteDataReader? reader, SqliteCommand? command, SqliteConnection? connection)
    {
        if (reader is not null)
        {
            await reader.DisposeAsync();
        }

        if (command is not null)
        {
            await command.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private static UsageRecord Map(SqliteDataReader r) => new()
    {
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)),
        TenantId = r.GetString(1),
        BotId = r.GetString(2),
        UserId = r.GetString(3),
        Task = r.GetString(4),
        Model = r.GetString(5),
        Provider = r.GetString(6),
        PromptTokens = r.GetInt32(7),
        CompletionTokens = r.GetInt32(8),
        CachedTokens = r.GetInt32(9),
        TokensEstimated = r.GetInt32(10) != 0,
        CostUsd = r.IsDBNull(11) ? null : decimal.Parse(r.GetString(11), CultureInfo.InvariantCulture),
        LatencyMs = r.GetDouble(12),
        TimeToFirstTokenMs = r.IsDBNull(13) ? null : r.GetDouble(13),
        Outcome = r.GetString(14),
        RoutingReason = r.IsDBNull(15) ? null : r.GetString(15),
        CostSource = r.IsDBNull(16) ? null : r.GetString(16),
    };

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Warning, "Could not record usage of a call to {Model}; the record is dropped")]
        public static partial void RecordFailed(ILogger logger, Exception exception, string model);
    }
}
