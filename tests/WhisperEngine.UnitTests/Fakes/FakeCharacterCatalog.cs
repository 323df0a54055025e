using WhisperEngine.Core.Characters;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>A fixed set of characters.</summary>
public sealed class FakeCharacterCatalog(params Character[] characters) : ICharacterCatalog
{
    public IReadOnlyList<Character> All { get; } = [.. characters.OrderBy(c => c.Id, StringComparer.Ordinal)];

    public int ReloadCount { get; private set; }

    public Character? Find(string id) => All.FirstOrDefault(c => c.Id == id);

    public void Reload() => ReloadCount++;
}
