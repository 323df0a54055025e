namespace WhisperEngine.Usage.Pricing;

/// <summary>Fills in the cost of calls whose source reported none, from a price table.</summary>
public static class SamplePricing
{
    /// <summary>
    /// Returns the samples with <see cref="UsageSample.CostUsd"/> set from <paramref name="prices"/> where it was null and
    /// the model has a price (marked <see cref="UsageSample.CostFromPriceTable"/>). A reported cost is never replaced:
    /// it includes discounts (cached prompts) and provider differences a list price cannot know.
    /// </summary>
    public static IReadOnlyList<UsageSample> Apply(IEnumerable<UsageSample> samples, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(prices);
        return [.. samples.Select(s => s.CostUsd is null && prices.TryGetPrice(s.Model, out var price)
            ? s with { CostUsd = price.Cost(s.PromptTokens, s.CompletionTokens), CostFromPriceTable = true }
            : s)];
    }
}
