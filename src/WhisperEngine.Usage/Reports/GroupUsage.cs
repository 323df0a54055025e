namespace WhisperEngine.Usage.Reports;

/// <summary>Requests and cost of one group: an API key, an app, an outcome.</summary>
/// <param name="Name">The group; <c>(none)</c> when the source left it empty.</param>
/// <param name="Requests">Calls in the group.</param>
/// <param name="CostUsd">Their cost in US dollars.</param>
/// <param name="Share">The group's share of the total cost, 0 to 1.</param>
public sealed record GroupUsage(string Name, int Requests, decimal CostUsd, double Share);
