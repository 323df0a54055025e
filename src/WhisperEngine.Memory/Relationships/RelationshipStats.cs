namespace WhisperEngine.Memory.Relationships;

/// <summary>What a bot and a person have been through together, counted per exchange (a message that got a reply).</summary>
/// <param name="Exchanges">Exchanges that count towards the level: at most <see cref="RelationshipRules.DailyCap"/> per UTC day.</param>
/// <param name="TotalExchanges">Every exchange.</param>
/// <param name="Days">Distinct UTC days with at least one exchange.</param>
/// <param name="FirstAt">The first exchange.</param>
/// <param name="LastAt">The latest exchange.</param>
public sealed record RelationshipStats(long Exchanges, long TotalExchanges, int Days, DateTimeOffset FirstAt, DateTimeOffset LastAt)
{
    /// <summary>The level these numbers reach.</summary>
    public RelationshipLevel Level => RelationshipRules.LevelOf(Exchanges, Days);
}
