namespace WhisperEngine.Memory.Facts;

/// <summary>What one extraction did.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Attempts">Model calls made (1, or 2 after an invalid answer).</param>
/// <param name="Written">Facts added or given a new value.</param>
/// <param name="Retired">Facts retired or superseded.</param>
/// <param name="Confirmed">Known facts the answer repeated.</param>
/// <param name="BelowConfidence">Additions and updates left out for a confidence below the minimum.</param>
/// <param name="Errors">Why the last answer was invalid, when it was.</param>
public sealed record FactExtractionResult(
    FactExtractionOutcome Outcome, int Attempts, int Written, int Retired, int Confirmed, int BelowConfidence, IReadOnlyList<string> Errors)
{
    public static FactExtractionResult Skipped { get; } = new(FactExtractionOutcome.Skipped, 0, 0, 0, 0, 0, []);
}
