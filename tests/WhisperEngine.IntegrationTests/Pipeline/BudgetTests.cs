using System.Collections.Concurrent;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Pipeline;

/// <summary>A spending limit holds under many concurrent turns; near it calls are downgraded, at it they are refused.</summary>
public sealed class BudgetTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _model.DefaultReply = FakeReply.Text("A short answer.", promptTokens: 300, completionTokens: 40, firstTokenDelay: TimeSpan.FromMilliseconds(20));
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task ConcurrentTurns_AgainstADailyLimit_NeverSpendMoreThanTheLimitAndDowngradeFirst()
    {
        const decimal limit = 0.05m;
        var configuration = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["budgets.bot_daily_usd"] = "0.05",
            ["budgets.downgrade_at"] = "0.5",
            ["budgets.downgrade_model"] = "cheap-model",
            ["llm.prices.fake-model.prompt"] = "10",
            ["llm.prices.fake-model.completion"] = "30",
            ["llm.prices.cheap-model.prompt"] = "2",
            ["llm.prices.cheap-model.completion"] = "6",
            ["workers.max_concurrent_turns"] = "64",
            ["workers.queue_capacity"] = "1000",
            // Turns only: background fact extraction makes model calls of its own (ledger rows outside the turns'
            // reservations); with memory writes batched it can finish before the ledger is read here.
            ["memory.facts.enabled"] = "false",
        });
        await using var engine = await EngineHost.StartAsync(configuration);
        var outcomes = new ConcurrentBag<string>();

        // Ten waves of twenty turns at once: concurrent within a wave, and spending builds up across waves.
        for (var wave = 0; wave < 10; wave++)
        {
            await Task.WhenAll(Enumerable.Range(wave * 20, 20).Select(TurnAsync));
        }

        async Task TurnAsync(int i)
        {
            var key = new ConversationKey("default", "elena", $"user{i % 40}", "api");
            try
            {
                await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, $"question {i}"));
                outcomes.Add("ok");
            }
            catch (TurnException ex)
            {
                outcomes.Add(ex.Kind.ToString());
            }
        }

        var ledger = await engine.Get<IUsageLedger>().GetRecentAsync(1_000);
        var spent = ledger.Sum(r => r.CostUsd ?? 0);
        Assert.True(spent <= limit, $"spent {spent} of a {limit} limit");
        // Reservations are worst-case, so turns are refused a little before the real spend reaches the limit.
        Assert.True(spent > limit / 4, $"spent only {spent}: the limit refused far too early");
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "ok", nameof(TurnErrorKind.BudgetExhausted) }));
        Assert.Contains(nameof(TurnErrorKind.BudgetExhausted), outcomes);
        Assert.Contains(ledger, r => r.Model == "fake-model");
        Assert.Contains(ledger, r => r.Model == "cheap-model" && r.RoutingReason!.Contains("downgraded from fake-model to cheap-model", StringComparison.Ordinal));
        Assert.Equal(outcomes.Count(o => o == "ok"), ledger.Count);
    }
}
