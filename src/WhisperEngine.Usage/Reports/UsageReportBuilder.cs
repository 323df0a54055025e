using System.Globalization;

namespace WhisperEngine.Usage.Reports;

/// <summary>Computes a <see cref="UsageReport"/> from samples. Pure and deterministic: the same samples give the same report.</summary>
public static class UsageReportBuilder
{
    private const string None = "(none)";

    /// <summary>
    /// Builds the report over the samples inside <see cref="UsageReportOptions.Since"/> and <see cref="UsageReportOptions.Until"/>.
    /// Samples without a cost count as $0 (price them first with <see cref="Pricing.SamplePricing.Apply"/>).
    /// </summary>
    public static UsageReport Build(IEnumerable<UsageSample> samples, string source, string sourceKind, UsageReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        options ??= new UsageReportOptions();
        var calls = samples
            .Where(s => (options.Since is null || s.Timestamp >= options.Since) && (options.Until is null || s.Timestamp < options.Until))
            .OrderBy(s => s.Timestamp)
            .ToList();
        var requests = calls.Count;
        var cost = Sum(calls);
        var unpriced = calls.Where(s => s.CostUsd is null).ToList();
        var (assumptions, projections) = Project(calls, cost, options);
        return new UsageReport
        {
            Source = source,
            SourceKind = sourceKind,
            From = requests > 0 ? calls[0].Timestamp : null,
            To = requests > 0 ? calls[^1].Timestamp : null,
            Requests = requests,
            CostUsd = cost,
            AvgPromptTokens = requests > 0 ? calls.Average(s => (double)s.PromptTokens) : 0,
            AvgCompletionTokens = requests > 0 ? calls.Average(s => (double)s.CompletionTokens) : 0,
            AvgCostUsd = requests > 0 ? Math.Round(cost / requests, 8) : 0,
            PromptTokens = calls.Sum(s => (long)s.PromptTokens),
            CompletionTokens = calls.Sum(s => (long)s.CompletionTokens),
            CachedTokens = calls.Sum(s => (long)s.CachedTokens),
            ReasoningTokens = calls.Sum(s => (long)s.ReasoningTokens),
            CostFromPriceTable = calls.Count(s => s.CostFromPriceTable),
            UnpricedRequests = unpriced.Count,
            UnpricedModels = [.. unpriced.Select(s => s.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            ByModel = ByModel(calls, cost),
            ByDay = [.. calls.GroupBy(s => DateOnly.FromDateTime(s.Timestamp.UtcDateTime))
                .OrderBy(g => g.Key)
                .Select(g => new DayUsage(g.Key, g.Count(), Sum(g), g.Sum(s => (long)s.PromptTokens), g.Sum(s => (long)s.CompletionTokens)))],
            ByApiKey = Group(calls, s => s.ApiKey, cost),
            ByApp = Group(calls, s => s.App, cost),
            ByOutcome = Group(calls, s => s.Outcome, cost),
            PromptTokensPerRequest = PromptTokens(calls),
            GenerationTimeMs = Percentiles.Summarize(calls.Where(s => s.GenerationTimeMs is not null).Select(s => s.GenerationTimeMs!.Value)),
            TimeToFirstTokenMs = Percentiles.Summarize(calls.Where(s => s.TimeToFirstTokenMs is not null).Select(s => s.TimeToFirstTokenMs!.Value)),
            ProjectionAssumptions = assumptions,
            Projections = projections,
        };
    }

    private static List<ModelUsage> ByModel(List<UsageSample> calls, decimal total) =>
        [.. calls.GroupBy(s => s.Model, StringComparer.Ordinal)
            .Select(g =>
            {
                var n = g.Count();
                var cost = Sum(g);
                var prompt = g.Sum(s => (long)s.PromptTokens);
                var completion = g.Sum(s => (long)s.CompletionTokens);
                return new ModelUsage(g.Key, n, cost, Share(cost, total), (double)n / calls.Count, prompt, completion,
                    (double)prompt / n, (double)completion / n, Math.Round(cost / n, 8));
            })
            .OrderByDescending(m => m.CostUsd).ThenByDescending(m => m.Requests).ThenBy(m => m.Model, StringComparer.Ordinal)];

    private static List<TokenDistribution> PromptTokens(List<UsageSample> calls)
    {
        var all = new TokenDistribution("all", Percentiles.Summarize(calls.Select(s => (double)s.PromptTokens)));
        var groups = calls.GroupBy(s => s.App is { Length: > 0 } app ? app : None, StringComparer.Ordinal)
            .Select(g => new TokenDistribution(g.Key, Percentiles.Summarize(g.Select(s => (double)s.PromptTokens))))
            .OrderByDescending(d => d.PromptTokens.Mean).ThenBy(d => d.Name, StringComparer.Ordinal);
        return [all, .. groups];
    }

    private static List<GroupUsage> Group(List<UsageSample> calls, Func<UsageSample, string> key, decimal total) =>
        [.. calls.GroupBy(s => key(s) is { Length: > 0 } k ? k : None, StringComparer.Ordinal)
            .Select(g => new GroupUsage(g.Key, g.Count(), Sum(g), Share(Sum(g), total)))
            .OrderByDescending(g => g.CostUsd).ThenByDescending(g => g.Requests).ThenBy(g => g.Name, StringComparer.Ordinal)];

    /// <summary>The cost of <paramref name="calls"/>, without the trailing zeros that adding decimals of different scale leaves.</summary>
    private static decimal Sum(IEnumerable<UsageSample> calls) => calls.Sum(s => s.CostUsd ?? 0m) / 1.0000000000000000000000000000m;

    private static double Share(decimal part, decimal total) => total > 0 ? (double)(part / total) : 0;

    /// <summary>
    /// Yearly cost for each user count, from the data's own rate: cost per user per day = total cost ÷ calendar days
    /// covered ÷ active users; yearly = that × 365 × users. Without user ids in the data (an OpenRouter export of one
    /// person's bots, as the seed's), one active user is assumed.
    /// </summary>
    private static (ProjectionAssumptions, IReadOnlyList<CostProjection>) Project(List<UsageSample> calls, decimal cost, UsageReportOptions options)
    {
        var days = calls.Count == 0 ? 0
            : DateOnly.FromDateTime(calls[^1].Timestamp.UtcDateTime).DayNumber - DateOnly.FromDateTime(calls[0].Timestamp.UtcDateTime).DayNumber + 1;
        var named = calls.Select(s => s.User).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).Count();
        var (users, basis) = options.ActiveUsers is { } given
            ? (given, "given (--users)")
            : named > 0
                ? (named, "distinct users in the data")
                : (1, "assumed: the data names no users (an export of one person's use, as the seed's)");
        var requestsPerUserPerDay = days > 0 ? (double)calls.Count / days / users : 0;
        var costPerUserPerDay = days > 0 ? cost / days / users : 0m;
        var method = string.Create(CultureInfo.InvariantCulture,
            $"cost per user per day = ${cost:0.######} / {days} day(s) / {users} user(s) = ${costPerUserPerDay:0.######}; yearly cost = cost per user per day x 365 x users (requests likewise)");
        var assumptions = new ProjectionAssumptions(days, users, basis, requestsPerUserPerDay,
            calls.Count > 0 ? Math.Round(cost / calls.Count, 8) : 0m, Math.Round(costPerUserPerDay, 8), method);
        var projections = options.ProjectedUsers
            .Select(n =>
            {
                var yearly = costPerUserPerDay * 365 * n;
                return new CostProjection(n, requestsPerUserPerDay * n, requestsPerUserPerDay * n * 365, Math.Round(yearly / 12, 2), Math.Round(yearly, 2));
            })
            .ToList();
        return (assumptions, projections);
    }
}
