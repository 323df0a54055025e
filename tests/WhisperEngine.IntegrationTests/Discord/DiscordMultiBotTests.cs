namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>Two bots (two tokens, two gateway connections) in one channel: only the addressed one answers.</summary>
public sealed class DiscordMultiBotTests
{
    [Fact]
    public async Task TwoBotsInChannel_OneMentioned_OnlyThatOneAnswers()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var elena = await harness.AddBotAsync("elena", "100000000000000001");
        var marcus = await harness.AddBotAsync("marcus", "100000000000000011");

        await harness.SayAsync($"{marcus.Mention} what do you think about AI?");
        await harness.SayAsync("no one in particular");
        var toElena = await harness.SayAsync($"{elena.Mention} and you?");

        await elena.WaitForMessagesAsync(1);
        await marcus.WaitForMessagesAsync(1);
        await elena.Runner.IdleAsync();
        await marcus.Runner.IdleAsync();
        Assert.Single(elena.Simulator.Messages);
        Assert.Equal(toElena, elena.Simulator.Messages[0].ReplyToMessageId);
        Assert.Single(marcus.Simulator.Messages);
        Assert.Equal(2, await harness.StoredAsync("marcus"));
        Assert.Equal(2, await harness.StoredAsync("elena"));
    }

    [Fact]
    public async Task TwoBotsInChannel_BothMentioned_BothAnswerOnce()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var elena = await harness.AddBotAsync("elena", "100000000000000001");
        var marcus = await harness.AddBotAsync("marcus", "100000000000000011");

        var id = await harness.SayAsync($"{elena.Mention} {marcus.Mention} hello both");

        await elena.WaitForMessagesAsync(1);
        await marcus.WaitForMessagesAsync(1);
        await elena.Runner.IdleAsync();
        await marcus.Runner.IdleAsync();
        Assert.Equal(id, Assert.Single(elena.Simulator.Messages).ReplyToMessageId);
        Assert.Equal(id, Assert.Single(marcus.Simulator.Messages).ReplyToMessageId);
        // Each bot reads the other's mention as a name, and its own not at all.
        Assert.Equal(["@elenabot hello both", "@marcusbot hello both"], harness.Model.Requests.Select(r => r.Messages[^1].Content).Order(StringComparer.Ordinal));
    }
}
