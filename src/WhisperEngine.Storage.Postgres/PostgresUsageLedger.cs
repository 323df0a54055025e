using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Storage.Postgres;

/// <summary>The usage ledger in PostgreSQL.</summary>
/// <remarks>Thread-safe. A failed write is logged and dropped: accounting never breaks a reply.</remarks>
public sealed partial class PostgresUsageLedger(PostgresDatabase db, ILogger<PostgresUsageLedger> logger) : IUsageLedger
{
    /// <summary>The ledger's columns in schema order (the migrator copies rows in this shape too).</summary>
    public const string Columns = "ts, tenant_id, bot_id, user_id, task, model, provider, prompt_tokens, completion_tokens, " +
        "cached_tokens, tokens_estimated, cost_usd, latency_ms, ttft_ms, outcome, routing_reason, cost_source";

    public async ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand(
                $"INSERT INTO usage_ledger ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17);");
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<long> { TypedValue = record.Timestamp.ToUnixTimeMilliseconds() });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.TenantId });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.BotId });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.UserId });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.Task });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.Model });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.Provider });
            p.Add(new NpgsqlParameter<int> { TypedValue = record.PromptTokens });
            p.Add(new NpgsqlParameter<int> { TypedValue = record.CompletionTokens });
            p.Add(new NpgsqlParameter<int> { TypedValue = record.CachedTokens });
            p.Add(new NpgsqlParameter<bool> { TypedValue = record.TokensEstimated });
            p.Add(new NpgsqlParameter { Value = (object?)record.CostUsd ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
            p.Add(new NpgsqlParameter<double> { TypedValue = record.LatencyMs });
            p.Add(new NpgsqlParameter { Value = (object?)record.TimeToFirstTokenMs ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            p.Add(new NpgsqlParameter<string> { TypedValue = record.Outcome });
            p.Add(new NpgsqlParameter { Value = (object?)record.RoutingReason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = (object?)record.CostSource ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            Log.RecordFailed(logger, ex, record.Model);
        }
    }

    public async ValueTask<IReadOnlyList<UsageRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand($"SELECT {Columns} FROM usage_ledger ORDER BY id DESC LIMIT $1;");
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var records = new List<UsageRecord>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                records.Add(Read(r));
            }

            return records;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "reading the usage ledger");
        }
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset? since, DateTimeOffset? until,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Pages by (ts, id), so that a large ledger streams without holding one long query open.
        var from = since?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var to = until?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var lastTs = long.MinValue;
        var lastId = long.MinValue;
        while (true)
        {
            var page = new List<(long Id, UsageRecord Record)>();
            try
            {
                await using var command = db.DataSource.CreateCommand(
                    $"SELECT {Columns}, id FROM usage_ledger WHERE ts >= $1 AND ts < $2 AND (ts, id) > ($3, $4) ORDER BY ts, id LIMIT 5000;");
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastTs });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastId });
                await using var r = await command.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    page.Add((r.GetInt64(17), Read(r)));
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw db.Translate(ex, "reading the usage ledger");
            }

            foreach (var (_, record) in page)
            {
                yield return record;
            }

            if (page.Count < 5000)
            {
                yield break;
            }

            lastTs = page[^1].Record.Timestamp.ToUnixTimeMilliseconds();
            lastId = page[^1].Id;
        }
    }

    internal static UsageRecord Read(NpgsqlDataReader r) => new()
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
        TokensEstimated = r.GetBoolean(10),
        CostUsd = r.IsDBNull(11) ? null : r.GetDecimal(11),
        LatencyMs = r.GetDouble(12),
        TimeToFirstTokenMs = r.IsDBNull(13) ? null : r.GetDouble(13),
        Outcome = r.GetString(14),
        RoutingReason = r.IsDBNull(15) ? null : r.GetString(15),
        CostSource = r.IsDBNull(16) ? null : r.GetString(16),
    };

    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Warning, "Could not record usage of a call to {Model}; the record is dropped")]
        public static partial void RecordFailed(ILogger logger, Exception exception, string model);
    }
}
