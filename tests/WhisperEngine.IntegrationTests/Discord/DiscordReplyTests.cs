using WhisperEngine.Discord.Gateway;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>The round trip the engine will make: a message arrives on the gateway, the bot types, then replies.</summary>
public sealed class DiscordReplyTests
{
    [Fact]
    public async Task MessageCreate_BotTypesThenReplies_ReplyReferencesTheMessageAndIsChunked()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();
        var incoming = await harness.Simulator.SendMessageAsync("400000000000000001", "500000000000000001", "tell me a long story", "200000000000000001", mentionsBot: true);

        var message = (await gateway.NextAsync(GatewayEvents.MessageCreate)).Message!;
        await using (harness.Rest.StartTyping(message.ChannelId))
        {
            // The model works until the user can see the bot typing.
            await harness.Simulator.WaitForAsync(() => harness.Simulator.TypingCount(message.ChannelId) >= 1, "a typing indicator");
        }

        var story = string.Join("\n\n", Enumerable.Range(1, 12).Select(i => $"Chapter {i}. " + string.Concat(Enumerable.Repeat("Once upon a time. ", 20))));
        var sent = await harness.Rest.CreateMessagesAsync(message.ChannelId, story, message.Id);

        var posted = harness.Simulator.Messages;
        Assert.Equal(incoming, posted[0].ReplyToMessageId);
        Assert.True(posted.Count >= 2);
        Assert.Equal(sent.Count, posted.Count);
        var requests = harness.Simulator.Requests;
        var firstTyping = requests.First(r => r.Path.EndsWith("/typing", StringComparison.Ordinal));
        var firstMessage = requests.First(r => r.Path.EndsWith("/messages", StringComparison.Ordinal));
        Assert.True(firstTyping.Sequence < firstMessage.Sequence);
    }
}
