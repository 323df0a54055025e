using WhisperEngine.Core.Characters;

namespace WhisperEngine.Core.Bots;

/// <summary>
/// The configured bots; with none configured, one bot per character whose id is the character's id (the desktop
/// case: <c>model: elena</c> in the API means the bot that speaks as Elena).
/// </summary>
public sealed class BotDirectory(IReadOnlyList<BotDefinition> configured, ICharacterCatalog characters) : IBotDirectory
{
    private readonly Dictionary<string, BotDefinition> _byId = configured.ToDictionary(b => b.Id, StringComparer.Ordinal);

    public IReadOnlyList<BotDefinition> All => configured.Count > 0
        ? [.. configured.OrderBy(b => b.Id, StringComparer.Ordinal)]
        : [.. characters.All.Select(c => new BotDefinition { Id = c.Id, CharacterId = c.Id })];

    public BotDefinition? Find(string id)
    {
        if (configured.Count > 0)
        {
            return _byId.GetValueOrDefault(id);
        }

        return characters.Find(id) is { } character ? new BotDefinition { Id = character.Id, CharacterId = character.Id } : null;
    }
}
