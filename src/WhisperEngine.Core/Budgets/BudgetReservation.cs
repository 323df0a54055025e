namespace WhisperEngine.Core.Budgets;

/// <summary>Money set aside for one call before it is made; settled with the real cost afterwards.</summary>
/// <param name="Model">The model to call (the downgrade model when the budget is nearly spent).</param>
/// <param name="Reason">Why: empty, or the downgrade with the share of the budget used.</param>
/// <param name="Keys">The counters the amount was added to.</param>
/// <param name="Microdollars">The amount reserved, in millionths of a dollar.</param>
public sealed record BudgetReservation(string Model, string Reason, IReadOnlyList<string> Keys, long Microdollars)
{
    public static BudgetReservation None(string model) => new(model, "", [], 0);
}
