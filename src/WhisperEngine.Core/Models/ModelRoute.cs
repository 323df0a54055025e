namespace WhisperEngine.Core.Models;

/// <summary>The models to try, in order, and why.</summary>
public sealed record ModelRoute(IReadOnlyList<string> Models, string Reason)
{
    public string Primary => Models[0];
}
