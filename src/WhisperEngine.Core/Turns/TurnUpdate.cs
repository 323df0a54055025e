namespace WhisperEngine.Core.Turns;

/// <summary>A piece of a streamed turn: text deltas, then one final update with <see cref="Result"/> set.</summary>
public sealed record TurnUpdate(string? Text, TurnResult? Result = null);
