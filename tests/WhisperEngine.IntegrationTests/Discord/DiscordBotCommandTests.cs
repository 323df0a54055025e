namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>Prefix commands: forget me, my memory, facts; admin commands only for admin ids.</summary>
public sealed class DiscordBotCommandTests
{
    [Fact]
    public async Task ForgetCommand_AfterConversation_DeletesItWithoutCallingTheModel()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        await harness.SayAsync("remember me", guild: null, channel: DiscordBotHarness.DmChannel);
        await bot.WaitForMessagesAsync(1);
        await harness.SayAsync("!memory", guild: null, channel: DiscordBotHarness.DmChannel);
        await bot.WaitForMessagesAsync(2);

        await harness.SayAsync("!forget me", guild: null, channel: DiscordBotHarness.DmChannel);

        var posted = await bot.WaitForMessagesAsync(3);
        Assert.Contains("2 messages", posted[1].Content, StringComparison.Ordinal);
        Assert.Contains("deleted", posted[2].Content, StringComparison.Ordinal);
        Assert.Contains("2 messages", posted[2].Content, StringComparison.Ordinal);
        Assert.Equal(0, await harness.StoredAsync(channel: DiscordBotHarness.DmChannel));
        Assert.Single(harness.Model.Requests);
    }

    [Fact]
    public async Task ReloadCommand_AdminAllowedOthersRefused()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        const string admin = "500000000000000042";
        var bot = await harness.AddBotAsync(admins: new HashSet<string> { admin });

        await harness.SayAsync($"{bot.Mention} !reload");
        await bot.WaitForMessagesAsync(1);
        await harness.SayAsync($"{bot.Mention} !reload", author: admin);
        await bot.WaitForMessagesAsync(2);
        await harness.SayAsync($"{bot.Mention} !status", author: admin);

        var posted = await bot.WaitForMessagesAsync(3);
        Assert.Contains("only for the admins", posted[0].Content, StringComparison.Ordinal);
        Assert.StartsWith("Reloaded 2 characters", posted[1].Content, StringComparison.Ordinal);
        Assert.Contains("shard 0 ready", posted[2].Content, StringComparison.Ordinal);
        Assert.Empty(harness.Model.Requests);
    }
}
