using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.IntegrationTests.Storage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Usage;

/// <summary><c>whisperengine usage report</c> over the usage ledger of a home, as the engine writes it.</summary>
public sealed class UsageReportLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2025, 9, 13, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private async Task RecordAsync(params Core.Usage.UsageRecord[] records)
    {
        // The default storage.sqlite.path of a home.
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = Path.Combine(_home.Path, "whisperengine.db") });
        db.Migrate();
        var ledger = new SqliteUsageLedger(db, NullLogger<SqliteUsageLedger>.Instance);
        foreach (var record in records)
        {
            await ledger.RecordAsync(record);
        }
    }

    [Fact]
    public async Task Report_LedgerOfHome_CountsRecordsAndPricesUnreportedCosts()
    {
        await RecordAsync(
            SqliteUsageLedgerTests.Record(Day1, cost: 0.02m, bot: "elena", user: "ann"),
            SqliteUsageLedgerTests.Record(Day1.AddHours(1), cost: 0.04m, bot: "elena", user: "bob"),
            // No cost recorded: priced from the shipped table, gpt-4o-mini at $0.15 / $0.60 per million tokens.
            SqliteUsageLedgerTests.Record(Day1.AddDays(1), model: "openai/gpt-4o-mini", cost: null, bot: "marcus", user: "ann"),
            SqliteUsageLedgerTests.Record(Day1.AddDays(1), model: "local/unknown", cost: null, bot: "marcus", user: "ann"));

        var result = await CliRunner.RunAsync(["usage", "report", "--home", _home.Path, "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("ledger", root.GetProperty("source_kind").GetString());
        Assert.Equal(4, root.GetProperty("requests").GetInt32());
        // 1000 x 0.15 / 1e6 + 100 x 0.60 / 1e6 = 0.00021
        Assert.Equal(0.06021m, root.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, root.GetProperty("cost_from_price_table").GetInt32());
        Assert.Equal(["local/unknown"], root.GetProperty("unpriced_models").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1000, root.GetProperty("avg_prompt_tokens").GetDouble());
        var models = root.GetProperty("by_model").EnumerateArray().Select(m => (m.GetProperty("model").GetString(), m.GetProperty("requests").GetInt32())).ToList();
        Assert.Equal([("openai/gpt-4o", 2), ("openai/gpt-4o-mini", 1), ("local/unknown", 1)], models);
        Assert.Equal(["elena", "marcus"], root.GetProperty("by_api_key").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        var assumptions = root.GetProperty("projection_assumptions");
        Assert.Equal(2, assumptions.GetProperty("days").GetInt32());
        Assert.Equal(2, assumptions.GetProperty("active_users").GetInt32());
        Assert.Equal(300, root.GetProperty("time_to_first_token_ms").GetProperty("p50").GetDouble());
    }

    [Fact]
    public async Task Report_LedgerSinceUntilDates_KeepsThoseDaysOnly()
    {
        await RecordAsync(
            SqliteUsageLedgerTests.Record(Day1, model: "first"),
            SqliteUsageLedgerTests.Record(Day1.AddDays(1), model: "second"),
            SqliteUsageLedgerTests.Record(Day1.AddDays(2), model: "third"));

        var result = await CliRunner.RunAsync(["usage", "report", "--home", _home.Path, "--format", "csv", "--since", "2025-09-14", "--until", "2025-09-14"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var rows = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("second,1,", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_HomeWithoutLedger_SaysSoAndExitsNonZero()
    {
        var result = await CliRunner.RunAsync(["usage", "report", "--home", _home.Path]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("no usage ledger", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_BadSinceDate_IsRefused()
    {
        var result = await CliRunner.RunAsync(["usage", "report", "--home", _home.Path, "--since", "last tuesday"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--since last tuesday", result.Error, StringComparison.Ordinal);
    }
}
