namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>A LoCoMo question and the turns that answer it.</summary>
/// <param name="Question">The question as asked.</param>
/// <param name="Category">1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial (as LoCoMo's code numbers them).</param>
/// <param name="Evidence">Normalised evidence turn ids (<see cref="EvidenceIds"/>), as annotated; some name no turn of the conversation.</param>
internal sealed record LocomoQuestion(string Question, int Category, IReadOnlyList<string> Evidence);
