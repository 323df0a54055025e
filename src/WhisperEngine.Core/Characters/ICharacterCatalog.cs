namespace WhisperEngine.Core.Characters;

/// <summary>The characters this deployment can speak as.</summary>
/// <remarks>Thread-safe; <see cref="Reload"/> swaps the whole set atomically.</remarks>
public interface ICharacterCatalog
{
    /// <summary>All loaded characters, ordered by id.</summary>
    IReadOnlyList<Character> All { get; }

    /// <summary>Finds a character by id; null when unknown.</summary>
    Character? Find(string id);

    /// <summary>Reloads from disk. On any invalid file the current set is kept and the problems are thrown.</summary>
    void Reload();
}
