using WhisperEngine.Memory.Relationships;

namespace WhisperEngine.UnitTests.Memory;

public sealed class RelationshipRulesTests
{
    [Theory]
    [InlineData(0, 0, RelationshipLevel.Stranger)]
    [InlineData(2, 1, RelationshipLevel.Stranger)]
    [InlineData(3, 1, RelationshipLevel.Acquaintance)]
    [InlineData(10, 1, RelationshipLevel.Acquaintance)]
    [InlineData(20, 2, RelationshipLevel.Acquaintance)]
    [InlineData(20, 3, RelationshipLevel.Friend)]
    [InlineData(59, 12, RelationshipLevel.Friend)]
    [InlineData(60, 9, RelationshipLevel.Friend)]
    [InlineData(60, 10, RelationshipLevel.CloseFriend)]
    public void LevelOf_ExchangesAndDays_GivesTheLevel(long exchanges, int days, RelationshipLevel expected) =>
        Assert.Equal(expected, RelationshipRules.LevelOf(exchanges, days));

    [Fact]
    public void LevelOf_OneDayOfSpam_NeverMoreThanAcquaintance()
    {
        // However many messages in a day, at most the daily cap counts and a single day cannot make a friend.
        Assert.Equal(RelationshipLevel.Acquaintance, RelationshipRules.LevelOf(RelationshipRules.DailyCap, 1));
    }

    [Fact]
    public void DayOf_UtcMidnight_StartsANewDay()
    {
        var before = new DateTimeOffset(2025, 3, 1, 23, 59, 59, TimeSpan.Zero);
        var after = new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(RelationshipRules.DayOf(before) + 1, RelationshipRules.DayOf(after));
        Assert.Equal(RelationshipRules.DayOf(after), RelationshipRules.DayOf(new DateTimeOffset(2025, 3, 2, 1, 0, 0, TimeSpan.FromHours(1))));
    }
}
