using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class TemporalExpressionsTests
{
    private static readonly DateTimeOffset Now = new(2023, 8, 20, 15, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(int year, int month, int day, int hour = 12) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("What did Maria share on 3 June, 2023?")]
    [InlineData("What did Maria share on June 3, 2023?")]
    [InlineData("What did Maria share on June 3rd 2023?")]
    [InlineData("What did Maria share on the 3rd of June 2023?")]
    public void Find_DayMonthYear_WindowIsThatDay(string question)
    {
        var match = TemporalExpressions.Find(question, Now);

        var window = Assert.Single(match.Windows);
        Assert.True(window.Contains(Day(2023, 6, 3, 0)));
        Assert.True(window.Contains(Day(2023, 6, 3, 23)));
        Assert.False(window.Contains(Day(2023, 6, 4, 0)));
        Assert.False(window.Contains(Day(2023, 6, 2, 23)));
        Assert.False(window.Contains(Day(2022, 6, 3)));
    }

    [Fact]
    public void Find_DayTolerance_WidensADayWindowOnBothSides()
    {
        var window = Assert.Single(TemporalExpressions.Find("on 3 June, 2023", Now, dayTolerance: 1).Windows);

        Assert.True(window.Contains(Day(2023, 6, 2)));
        Assert.True(window.Contains(Day(2023, 6, 4, 23)));
        Assert.False(window.Contains(Day(2023, 6, 5, 1)));
    }

    [Fact]
    public void Find_MonthAndYear_WindowIsTheMonth()
    {
        var window = Assert.Single(TemporalExpressions.Find("What did John do in August 2022?", Now).Windows);

        Assert.True(window.Contains(Day(2022, 8, 1, 0)));
        Assert.True(window.Contains(Day(2022, 8, 31, 23)));
        Assert.False(window.Contains(Day(2022, 9, 1, 0)));
        Assert.False(window.Contains(Day(2023, 8, 10)));
    }

    [Fact]
    public void Find_MonthWithoutYear_MatchesThatMonthOfAnyYear()
    {
        var window = Assert.Single(TemporalExpressions.Find("Which spot did Joanna visit in May?", Now).Windows);

        Assert.True(window.Contains(Day(2022, 5, 14)));
        Assert.True(window.Contains(Day(2021, 5, 31, 23)));
        Assert.False(window.Contains(Day(2022, 6, 1, 1)));
    }

    [Theory]
    [InlineData("Melanie may have a dog")]
    [InlineData("They march on Sunday")]
    [InlineData("What did you tell me about your trip?")]
    [InlineData("Did the 3 kids like it?")]
    public void Find_NoDate_NoWindowAndTextUnchanged(string text)
    {
        var match = TemporalExpressions.Find(text, Now);

        Assert.Empty(match.Windows);
        Assert.Equal(text, match.Remainder);
    }

    [Fact]
    public void Find_YearAfterPreposition_WindowIsTheYear()
    {
        var window = Assert.Single(TemporalExpressions.Find("What happened in 2022?", Now).Windows);

        Assert.True(window.Contains(Day(2022, 12, 31)));
        Assert.False(window.Contains(Day(2023, 1, 1, 1)));
    }

    [Fact]
    public void Find_Yesterday_IsTheDayBeforeNow()
    {
        var window = Assert.Single(TemporalExpressions.Find("what did I say yesterday", Now).Windows);

        Assert.True(window.Contains(Day(2023, 8, 19)));
        Assert.False(window.Contains(Day(2023, 8, 20, 1)));
        Assert.False(window.Contains(Day(2023, 8, 18)));
    }

    [Fact]
    public void Find_TwoWeeksAgo_CoversAroundFourteenDaysBack()
    {
        var window = Assert.Single(TemporalExpressions.Find("the film I saw two weeks ago", Now).Windows);

        Assert.True(window.Contains(Now.AddDays(-14)));
        Assert.False(window.Contains(Now.AddDays(-3)));
        Assert.False(window.Contains(Now.AddDays(-30)));
    }

    [Fact]
    public void Find_LastMonth_IsThePreviousCalendarMonth()
    {
        var window = Assert.Single(TemporalExpressions.Find("where did we go last month", Now).Windows);

        Assert.True(window.Contains(Day(2023, 7, 1, 0)));
        Assert.True(window.Contains(Day(2023, 7, 31, 23)));
        Assert.False(window.Contains(Day(2023, 8, 1, 1)));
    }

    [Fact]
    public void Find_DatePhrase_RemovedFromTheRemainder()
    {
        var match = TemporalExpressions.Find("What painting did Melanie show on October 13, 2023?", Now);

        Assert.Equal("What painting did Melanie show on", match.Remainder);
    }
}
