using WhisperEngine.Testing;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>
/// Private places on Discord: private threads, channels hidden from @everyone (from GUILD_CREATE, later updates, or
/// REST for a channel the gateway never listed). What is said there must never be recalled in a public channel.
/// </summary>
public sealed class DiscordPrivacyTests
{
    private const string Guild = DiscordBotHarness.Guild;
    private const string PublicChannel = DiscordBotHarness.Channel;
    private const string HiddenChannel = "400000000000000002";
    private const string PrivateThread = "400000000000000003";
    private const string RestOnlyHidden = "400000000000000004";
    private const string LaterHidden = "400000000000000005";
    private const string OtherPublic = "400000000000000006";

    [Fact]
    public async Task PrivatePlaces_WhatWasSaidThere_NeverReachesAPublicChannelPrompt()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        harness.Model.Responder = r => FakeReply.Text("Noted.");
        var bot = await harness.AddBotAsync(channels:
        [
            new SimulatedChannel { Id = PublicChannel, GuildId = Guild },
            new SimulatedChannel { Id = OtherPublic, GuildId = Guild },
            new SimulatedChannel { Id = HiddenChannel, GuildId = Guild, EveryoneCanView = false },
            new SimulatedChannel { Id = PrivateThread, GuildId = Guild, Type = 12, ParentId = PublicChannel },
            new SimulatedChannel { Id = RestOnlyHidden, GuildId = Guild, EveryoneCanView = false, ListedInGuildCreate = false },
            new SimulatedChannel { Id = LaterHidden, GuildId = Guild },
        ]);
        await bot.Simulator.UpdateChannelAsync(new SimulatedChannel { Id = LaterHidden, GuildId = Guild, EveryoneCanView = false });

        var said = new (string Channel, string? GuildId, string Text)[]
        {
            (DiscordBotHarness.DmChannel, null, "In our DM: my diary code word is pineapple."),
            (HiddenChannel, Guild, "In the hidden channel: the project is called Bluebird."),
            (PrivateThread, Guild, "In the private thread: the surprise party is at Mia's."),
            (RestOnlyHidden, Guild, "In the unlisted channel: the budget is 9000 crowns."),
            (LaterHidden, Guild, "In the channel made private: the new logo is a fox."),
        };
        var posted = 0;
        foreach (var (channel, guild, text) in said)
        {
            await harness.SayAsync(guild is null ? text : $"{bot.Mention} {text}", guild: guild, channel: channel);
            await bot.WaitForMessagesAsync(++posted);
            await harness.Engine.BackgroundIdleAsync();
        }

        // Public channel: none of it, however it is asked for.
        await harness.SayAsync($"{bot.Mention} Remind me: diary code word, project name, party place, budget and logo?", channel: OtherPublic);
        await bot.WaitForMessagesAsync(++posted);
        var publicPrompt = string.Join("\n", harness.Model.Requests[^1].Messages.Select(m => m.Content));

        // Direct message: all of it (the control: memory works, and every place above was classified as private, not public).
        await harness.SayAsync("Remind me: diary code word, project name, party place, budget and logo?", guild: null, channel: "400000000000000098");
        await bot.WaitForMessagesAsync(++posted);
        var dmPrompt = harness.Model.Requests[^1].Messages[0].Content;

        foreach (var secret in new[] { "pineapple", "Bluebird", "Mia's", "9000 crowns", "a fox" })
        {
            Assert.DoesNotContain(secret, publicPrompt, StringComparison.Ordinal);
            Assert.Contains(secret, dmPrompt, StringComparison.Ordinal);
        }

        Assert.Equal(1, bot.Simulator.ChannelFetches(RestOnlyHidden));
        Assert.Equal(0, bot.Simulator.ChannelFetches(HiddenChannel));
    }

    [Fact]
    public async Task PublicChannel_WhatWasSaidThere_IsRecalledInAnotherPublicChannel()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        harness.Model.Responder = r => FakeReply.Text("Noted.");
        var bot = await harness.AddBotAsync(channels:
        [
            new SimulatedChannel { Id = PublicChannel, GuildId = Guild },
            new SimulatedChannel { Id = OtherPublic, GuildId = Guild },
        ]);

        await harness.SayAsync($"{bot.Mention} I host the quiz night every Friday.");
        await bot.WaitForMessagesAsync(1);
        await harness.Engine.BackgroundIdleAsync();
        await harness.SayAsync($"{bot.Mention} When is my quiz night?", channel: OtherPublic);
        await bot.WaitForMessagesAsync(2);

        Assert.Contains("I host the quiz night every Friday.", harness.Model.Requests[^1].Messages[0].Content, StringComparison.Ordinal);
    }
}
