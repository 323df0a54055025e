using WhisperEngine.Usage.Pricing;

namespace WhisperEngine.Usage.Simulation;

/// <summary>Replays usage samples through a routing policy, pricing each request with the model the policy picks.</summary>
public static class RoutingSimulator
{
    public static SimulationResult Run(IReadOnlyList<UsageSample> samples, RoutingPolicy policy, PriceTable prices)
    {
        var requests = new List<SimulatedRequest>(samples.Count);
        foreach (var sample in samples.OrderBy(s => s.Timestamp))
        {
            var (model, reason) = policy.Choose(sample);
            decimal? simulated = prices.TryGetPrice(model, out var price) ? price.Cost(sample.PromptTokens, sample.CompletionTokens) : null;
            requests.Add(new SimulatedRequest(sample.Timestamp, sample.Model, sample.CostUsd ?? 0, model, reason, simulated,
                sample.PromptTokens, sample.CompletionTokens));
        }

        return new SimulationResult(policy, requests);
    }
}
