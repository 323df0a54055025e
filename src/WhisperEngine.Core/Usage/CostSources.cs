namespace WhisperEngine.Core.Usage;

/// <summary>The values of <see cref="UsageRecord.CostSource"/>.</summary>
public static class CostSources
{
    /// <summary>The provider reported the call's cost (OpenRouter's <c>usage.cost</c>).</summary>
    public const string Provider = "provider";

    /// <summary>The cost was computed from the price table and the token counts.</summary>
    public const string PriceTable = "price_table";
}
