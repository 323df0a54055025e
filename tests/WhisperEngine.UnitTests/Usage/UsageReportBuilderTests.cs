using WhisperEngine.Usage;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.UnitTests.Usage;

public sealed class UsageReportBuilderTests
{
    private static readonly DateTimeOffset Day1 = new(2025, 9, 13, 8, 0, 0, TimeSpan.Zero);

    private static UsageSample Call(string model, decimal? cost, int prompt = 100, int completion = 10, DateTimeOffset? at = null,
        string key = "", string user = "", double? ttft = null) => new()
        {
            Timestamp = at ?? Day1,
            Model = model,
            CostUsd = cost,
            PromptTokens = prompt,
            CompletionTokens = completion,
            ApiKey = key,
            User = user,
            TimeToFirstTokenMs = ttft,
        };

    [Fact]
    public void Build_ThreeModels_TotalsAveragesAndSharesOfCost()
    {
        UsageSample[] calls =
        [
            Call("big", 0.30m, prompt: 1000, completion: 100),
            Call("big", 0.30m, prompt: 3000, completion: 300),
            Call("small", 0.10m, prompt: 200, completion: 20),
            Call("free", 0m, prompt: 0, completion: 0),
        ];

        var report = UsageReportBuilder.Build(calls, "test", "openrouter");

        Assert.Equal(4, report.Requests);
        Assert.Equal(0.70m, report.CostUsd);
        Assert.Equal(1050, report.AvgPromptTokens);
        Assert.Equal(105, report.AvgCompletionTokens);
        Assert.Equal(0.175m, report.AvgCostUsd);
        Assert.Equal(["big", "small", "free"], report.ByModel.Select(m => m.Model));
        var big = report.ByModel[0];
        Assert.Equal((2, 0.6m, 2000d, 0.5), (big.Requests, big.CostUsd, big.AvgPromptTokens, big.RequestShare));
        Assert.Equal(6d / 7, big.Share, 12);
        Assert.Equal(1, report.ByModel.Sum(m => m.Share), 12);
    }

    [Fact]
    public void Build_CallsOfTwoTasks_PromptTokensPerRequestOverallAndPerTaskLargestFirst()
    {
        UsageSample[] calls =
        [
            Call("m", 0m, prompt: 1000) with { App = "chat" },
            Call("m", 0m, prompt: 3000) with { App = "chat" },
            Call("m", 0m, prompt: 2000) with { App = "chat" },
            Call("m", 0m, prompt: 400) with { App = "facts" },
        ];

        var report = UsageReportBuilder.Build(calls, "test", "ledger");

        Assert.Equal(["all", "chat", "facts"], report.PromptTokensPerRequest.Select(d => d.Name));
        var all = report.PromptTokensPerRequest[0].PromptTokens;
        Assert.Equal((4, 1600d, 1000d, 3000d), (all.Count, all.Mean!.Value, all.P50!.Value, all.Max!.Value));
        var chat = report.PromptTokensPerRequest[1].PromptTokens;
        Assert.Equal((3, 2000d, 2000d, 3000d), (chat.Count, chat.Mean!.Value, chat.P50!.Value, chat.P95!.Value));
        Assert.Equal(400d, report.PromptTokensPerRequest[2].PromptTokens.Max);
    }

    [Fact]
    public void Build_EmptyApiKey_GroupedAsNone()
    {
        var report = UsageReportBuilder.Build([Call("m", 1m, key: "Dream"), Call("m", 3m)], "test", "openrouter");

        Assert.Equal([("(none)", 3m, 0.75), ("Dream", 1m, 0.25)], report.ByApiKey.Select(g => (g.Name, g.CostUsd, g.Share)));
    }

    [Fact]
    public void Build_CallsOverThreeDays_GroupsByUtcDateAndCountsCalendarDays()
    {
        UsageSample[] calls = [Call("m", 1m, at: Day1), Call("m", 2m, at: Day1.AddHours(17)), Call("m", 3m, at: Day1.AddDays(2))];

        var report = UsageReportBuilder.Build(calls, "test", "openrouter");

        Assert.Equal([(new DateOnly(2025, 9, 13), 1m), (new DateOnly(2025, 9, 14), 2m), (new DateOnly(2025, 9, 15), 3m)],
            report.ByDay.Select(d => (d.Date, d.CostUsd)));
        Assert.Equal(3, report.ProjectionAssumptions.Days);
    }

    [Fact]
    public void Build_OneDayNoUsers_ProjectsOneUserAtThatDailyCost()
    {
        UsageSample[] calls = [Call("m", 0.25m), Call("m", 0.25m, at: Day1.AddHours(1)), Call("m", 0.5m, at: Day1.AddHours(2))];

        var report = UsageReportBuilder.Build(calls, "test", "openrouter");

        var a = report.ProjectionAssumptions;
        Assert.Equal((1, 1, 3d, 1m), (a.Days, a.ActiveUsers, a.RequestsPerUserPerDay, a.CostPerUserPerDayUsd));
        Assert.StartsWith("assumed", a.ActiveUsersBasis, StringComparison.Ordinal);
        Assert.Equal([1, 10, 100, 1000], report.Projections.Select(p => p.Users));
        Assert.Equal([365m, 3650m, 36500m, 365000m], report.Projections.Select(p => p.CostPerYearUsd));
        Assert.Equal([1095d, 10950d, 109500d, 1095000d], report.Projections.Select(p => p.RequestsPerYear));
        Assert.Equal(30.42m, report.Projections[0].CostPerMonthUsd);
    }

    [Fact]
    public void Build_TwoNamedUsersOverTenDays_DividesByBoth()
    {
        UsageSample[] calls = [Call("m", 4m, user: "ann"), Call("m", 6m, user: "bob", at: Day1.AddDays(9))];

        var report = UsageReportBuilder.Build(calls, "test", "ledger");

        var a = report.ProjectionAssumptions;
        Assert.Equal((10, 2), (a.Days, a.ActiveUsers));
        Assert.Equal(0.5m, a.CostPerUserPerDayUsd);
        Assert.Equal(0.1, a.RequestsPerUserPerDay, 12);
        Assert.Equal(182.5m, report.Projections[0].CostPerYearUsd);
        Assert.Equal(182_500m, report.Projections[^1].CostPerYearUsd);
    }

    [Fact]
    public void Build_ActiveUsersGiven_OverridesTheData()
    {
        var report = UsageReportBuilder.Build([Call("m", 10m, user: "ann")], "test", "ledger", new UsageReportOptions { ActiveUsers = 5 });

        Assert.Equal(5, report.ProjectionAssumptions.ActiveUsers);
        Assert.Equal(730m, report.Projections[0].CostPerYearUsd);
    }

    [Fact]
    public void Build_SinceAndUntil_KeepOnlyCallsInside()
    {
        UsageSample[] calls = [Call("a", 1m, at: Day1), Call("b", 2m, at: Day1.AddDays(1)), Call("c", 4m, at: Day1.AddDays(2))];

        var report = UsageReportBuilder.Build(calls, "test", "openrouter",
            new UsageReportOptions { Since = Day1.AddHours(1), Until = Day1.AddDays(2) });

        Assert.Equal("b", Assert.Single(report.ByModel).Model);
        Assert.Equal(2m, report.CostUsd);
    }

    [Fact]
    public void Build_UnknownCosts_CountedAsZeroAndListed()
    {
        var report = UsageReportBuilder.Build([Call("known", 1m), Call("mystery", null), Call("mystery", null)], "test", "ledger");

        Assert.Equal(1m, report.CostUsd);
        Assert.Equal(2, report.UnpricedRequests);
        Assert.Equal(["mystery"], report.UnpricedModels);
    }

    [Fact]
    public void Build_TimeToFirstToken_SummarizesOnlyCallsThatHaveIt()
    {
        var report = UsageReportBuilder.Build([Call("m", 1m, ttft: 300), Call("m", 1m, ttft: 100), Call("m", 1m)], "test", "ledger");

        Assert.Equal(2, report.TimeToFirstTokenMs.Count);
        Assert.Equal(100, report.TimeToFirstTokenMs.P50);
        Assert.Equal(300, report.TimeToFirstTokenMs.P99);
        Assert.Equal(0, report.GenerationTimeMs.Count);
    }

    [Fact]
    public void Build_NoCalls_ZeroFiguresWithoutDividingByZero()
    {
        var report = UsageReportBuilder.Build([], "test", "ledger");

        Assert.Equal((0, 0m, 0d, 0m), (report.Requests, report.CostUsd, report.AvgPromptTokens, report.AvgCostUsd));
        Assert.Empty(report.ByModel);
        Assert.Null(report.From);
        Assert.All(report.Projections, p => Assert.Equal(0m, p.CostPerYearUsd));
    }
}
