namespace WhisperEngine.Core.Bots;

/// <summary>The bots of this deployment.</summary>
/// <remarks>Thread-safe.</remarks>
public interface IBotDirectory
{
    /// <summary>Every bot, ordered by id.</summary>
    IReadOnlyList<BotDefinition> All { get; }

    /// <summary>Finds a bot by id; null when unknown.</summary>
    BotDefinition? Find(string id);
}
