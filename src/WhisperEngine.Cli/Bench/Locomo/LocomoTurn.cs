namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>One turn of a LoCoMo dialogue.</summary>
/// <param name="DiaId">Its id, <c>D{session}:{turn}</c>, as evidence names it.</param>
/// <param name="Speaker">Who says it.</param>
/// <param name="Text">What is said.</param>
/// <param name="ImageCaption">The caption of a photo shared with it (BLIP), if any.</param>
internal sealed record LocomoTurn(string DiaId, string Speaker, string Text, string? ImageCaption);
