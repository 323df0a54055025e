namespace WhisperEngine.Memory.UserData;

/// <summary>A bot's relationship counters with the person, in their data export (section <c>relationships</c>).</summary>
public sealed record ExportedRelationship
{
    /// <summary>The bot.</summary>
    public required string Bot { get; init; }

    /// <summary><c>stranger</c>, <c>acquaintance</c>, <c>friend</c>, ...: what the counters reach.</summary>
    public required string Level { get; init; }

    /// <summary>Exchanges that count towards the level (a daily cap applies).</summary>
    public required long Exchanges { get; init; }

    /// <summary>Every exchange.</summary>
    public required long TotalExchanges { get; init; }

    /// <summary>Distinct UTC days with an exchange.</summary>
    public required int Days { get; init; }
    public required DateTimeOffset FirstAt { get; init; }
    public required DateTimeOffset LastAt { get; init; }
}
