namespace WhisperEngine.Core.Recall;

/// <summary>
/// Contributes sections to a turn's prompt before the context is assembled: recalled long-term memories, facts
/// about the person, the relationship. Every registered provider is asked at the start of each turn, in parallel.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and fast (a few milliseconds): the pipeline waits for them at most
/// <see cref="TurnContextOptions.Timeout"/> and goes on without the sections of a provider that is late or throws
/// (logged). What they return must respect <see cref="TurnContextRequest.Privacy"/>: the pipeline puts every line it
/// gets into the prompt, as far as the budget allows.
/// </remarks>
public interface ITurnContextProvider
{
    /// <summary>Sections for the prompt of this turn, each with its lines best first; empty when there is nothing to add.</summary>
    ValueTask<IReadOnlyList<ContextSection>> GetSectionsAsync(TurnContextRequest request, CancellationToken cancellationToken = default);
}
