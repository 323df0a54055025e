using WhisperEngine.Core.Yaml;

namespace WhisperEngine.Usage.Simulation;

/// <summary>
/// A routing policy to replay an export through: requests whose prompt reaches <see cref="StrongMinPromptTokens"/>
/// go to <see cref="StrongModel"/>, the rest to <see cref="CheapModel"/> (an export has token counts, not text, so
/// prompt size stands for what a message needs).
/// </summary>
public sealed record RoutingPolicy(string CheapModel, string StrongModel, int StrongMinPromptTokens)
{
    /// <summary>Reads a policy file; throws <see cref="UsageDataException"/> naming file, line and field.</summary>
    public static RoutingPolicy Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageDataException($"{path}: the policy file does not exist.");
        }

        var problems = new List<ValidationProblem>();
        var reader = YamlMappingReader.Parse(path, File.ReadAllText(path), problems);
        var cheap = reader?.String("cheap_model", required: true);
        var strong = reader?.String("strong_model", required: true);
        var threshold = reader?.Integer("strong_min_prompt_tokens", 1, 10_000_000) ?? 3_000;
        reader?.RejectUnknown(["cheap_model", "strong_model", "strong_min_prompt_tokens"]);
        if (problems.Count > 0 || cheap is null || strong is null)
        {
            throw new UsageDataException(string.Join(System.Environment.NewLine, problems));
        }

        return new RoutingPolicy(cheap, strong, threshold);
    }

    public (string Model, string Reason) Choose(UsageSample sample) =>
        sample.PromptTokens >= StrongMinPromptTokens
            ? (StrongModel, $"prompt {sample.PromptTokens} >= {StrongMinPromptTokens} tokens")
            : (CheapModel, $"prompt {sample.PromptTokens} < {StrongMinPromptTokens} tokens");
}
