namespace WhisperEngine.Usage.Simulation;

/// <summary>An export replayed through a policy.</summary>
public sealed record SimulationResult(RoutingPolicy Policy, IReadOnlyList<SimulatedRequest> Requests)
{
    public decimal ActualCostUsd => Requests.Sum(r => r.ActualCostUsd);

    /// <summary>Requests whose chosen model has no price count at their actual cost.</summary>
    public decimal SimulatedCostUsd => Requests.Sum(r => r.SimulatedCostUsd ?? r.ActualCostUsd);

    public IReadOnlyList<string> UnpricedModels => [.. Requests.Where(r => r.SimulatedCostUsd is null).Select(r => r.ChosenModel).Distinct()];
}
