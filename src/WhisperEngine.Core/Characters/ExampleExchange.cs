namespace WhisperEngine.Core.Characters;

/// <summary>One example of a user line and the character's answer.</summary>
public sealed record ExampleExchange(string User, string Character);
