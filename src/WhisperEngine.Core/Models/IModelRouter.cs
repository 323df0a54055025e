namespace WhisperEngine.Core.Models;

/// <summary>Picks the model chain for a call. The cost-aware router (price, budget, health) implements this too.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IModelRouter
{
    /// <summary>Returns at least one model, or throws <see cref="Turns.TurnException"/> (<see cref="Turns.TurnErrorKind.NotConfigured"/>).</summary>
    ModelRoute Route(ModelRequest request);
}
