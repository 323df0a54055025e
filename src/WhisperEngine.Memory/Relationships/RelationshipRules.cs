namespace WhisperEngine.Memory.Relationships;

/// <summary>
/// How a relationship grows: by exchanges (a message that got a reply) spread over days, never by message spam. At
/// most <see cref="DailyCap"/> exchanges a UTC day count, and each level above acquaintance also needs a number of
/// distinct days:
/// <list type="table">
/// <item><term>stranger</term><description>fewer than 3 counted exchanges</description></item>
/// <item><term>acquaintance</term><description>3 counted exchanges</description></item>
/// <item><term>friend</term><description>20 counted exchanges on at least 3 days</description></item>
/// <item><term>close friend</term><description>60 counted exchanges on at least 10 days</description></item>
/// </list>
/// So a day of chatting makes an acquaintance, a friend takes at least three days, a close friend at least ten.
/// </summary>
public static class RelationshipRules
{
    /// <summary>Exchanges per UTC day that count towards the level.</summary>
    public const int DailyCap = 10;

    public static RelationshipLevel LevelOf(long exchanges, int days) =>
        exchanges >= 60 && days >= 10 ? RelationshipLevel.CloseFriend
        : exchanges >= 20 && days >= 3 ? RelationshipLevel.Friend
        : exchanges >= 3 ? RelationshipLevel.Acquaintance
        : RelationshipLevel.Stranger;

    /// <summary>The level's name as it appears in a prompt.</summary>
    public static string Name(RelationshipLevel level) => level switch
    {
        RelationshipLevel.Acquaintance => "acquaintance",
        RelationshipLevel.Friend => "friend",
        RelationshipLevel.CloseFriend => "close friend",
        _ => "stranger",
    };

    /// <summary>How the character should sound at this level (a hint for the model).</summary>
    public static string Tone(RelationshipLevel level) => level switch
    {
        RelationshipLevel.Acquaintance => "You have talked a few times: friendly, still getting to know each other.",
        RelationshipLevel.Friend => "You know each other well: be warm and familiar.",
        RelationshipLevel.CloseFriend => "A close friend of long standing: warm, personal, free to refer to shared history.",
        _ => "You are just getting to know them: be welcoming and do not assume familiarity.",
    };

    /// <summary>The UTC day number (days since 1970-01-01) of <paramref name="at"/>.</summary>
    public static long DayOf(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 86_400_000L;
}
