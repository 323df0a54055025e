namespace WhisperEngine.Hosting.Configuration;

/// <summary>A raw setting value and where it came from.</summary>
/// <param name="Text">Scalar text, or null for a list.</param>
/// <param name="Items">List items, or null for a scalar.</param>
/// <param name="Source">Where it was set: a file with its line, an environment variable, a flag, <c>default</c>.</param>
public sealed record ConfigValue(string? Text, IReadOnlyList<string>? Items, string Source);
