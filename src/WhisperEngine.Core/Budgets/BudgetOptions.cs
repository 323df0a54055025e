namespace WhisperEngine.Core.Budgets;

/// <summary>Spending limits in US dollars (config section <c>budgets</c>); a null limit is no limit.</summary>
public sealed class BudgetOptions
{
    public decimal? BotDailyUsd { get; init; }
    public decimal? BotMonthlyUsd { get; init; }
    public decimal? TenantDailyUsd { get; init; }
    public decimal? TenantMonthlyUsd { get; init; }

    /// <summary>Share of a limit (0-1) from which calls are downgraded to <see cref="DowngradeModel"/>.</summary>
    public double DowngradeAt { get; init; } = 0.8;

    /// <summary>The cheaper model used near a limit; null: no downgrade, only refusal at the limit.</summary>
    public string? DowngradeModel { get; init; }

    public bool Any => BotDailyUsd is not null || BotMonthlyUsd is not null || TenantDailyUsd is not null || TenantMonthlyUsd is not null;
}
