namespace WhisperEngine.Usage.Reports;

/// <summary>How the yearly projections were derived from the data, so that a reader can check or redo them.</summary>
/// <param name="Days">UTC calendar days from the first to the last call, both included.</param>
/// <param name="ActiveUsers">The users the data stands for: given, counted from the data, or 1.</param>
/// <param name="ActiveUsersBasis">Where <see cref="ActiveUsers"/> comes from.</param>
/// <param name="RequestsPerUserPerDay">Requests ÷ days ÷ active users.</param>
/// <param name="CostPerRequestUsd">Total cost ÷ requests.</param>
/// <param name="CostPerUserPerDayUsd">Total cost ÷ days ÷ active users.</param>
/// <param name="Method">The formula, in words.</param>
public sealed record ProjectionAssumptions(
    int Days,
    int ActiveUsers,
    string ActiveUsersBasis,
    double RequestsPerUserPerDay,
    decimal CostPerRequestUsd,
    decimal CostPerUserPerDayUsd,
    string Method);
