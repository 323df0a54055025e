using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Storage;

public sealed class SqliteUsageLedgerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 9, 13, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static UsageRecord Record(DateTimeOffset at, string model = "openai/gpt-4o", decimal? cost = 0.01m, string bot = "elena", string user = "ann") => new()
    {
        Timestamp = at,
        TenantId = "default",
        BotId = bot,
        UserId = user,
        Task = "chat",
        Model = model,
        Provider = "openrouter",
        PromptTokens = 1000,
        CompletionTokens = 100,
        CostUsd = cost,
        LatencyMs = 800,
        TimeToFirstTokenMs = 300,
        Outcome = "ok",
    };

    [Fact]
    public async Task ReadAsync_Bounds_ReturnsRecordsInsideOldestFirst()
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("we.db") });
        db.Migrate();
        var ledger = new SqliteUsageLedger(db, NullLogger<SqliteUsageLedger>.Instance);
        foreach (var hours in new[] { 5, 1, 3, 0, 4, 2 })
        {
            await ledger.RecordAsync(Record(T0.AddHours(hours), model: $"m{hours}"));
        }

        var all = await ledger.ReadAsync(null, null).ToListAsync();
        var some = await ledger.ReadAsync(T0.AddHours(1), T0.AddHours(4)).ToListAsync();

        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5"], all.Select(r => r.Model));
        Assert.Equal(["m1", "m2", "m3"], some.Select(r => r.Model));
        Assert.Equal(Record(T0.AddHours(1), model: "m1"), some[0]);
    }

    [Fact]
    public async Task ReadAsync_EmptyLedger_YieldsNothing()
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("we.db") });
        db.Migrate();
        var ledger = new SqliteUsageLedger(db, NullLogger<SqliteUsageLedger>.Instance);

        Assert.Empty(await ledger.ReadAsync(T0, null).ToListAsync());
    }
}
