using WhisperEngine.Discord;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

public sealed class DiscordRestTests
{
    private const string Channel = "400000000000000001";
    private const string OtherChannel = "400000000000000002";
    private const int RateLimitedEvent = 5101;

    [Fact]
    public async Task CreateMessage_Reply_SendsReferenceNonceAndNoMassMentions()
    {
        await using var harness = await DiscordHarness.StartAsync();

        var message = await harness.Rest.CreateMessageAsync(Channel, "Hi @everyone, here you go.", replyToMessageId: "300000000000000042");

        var posted = Assert.Single(harness.Simulator.Messages);
        Assert.Equal(posted.Id, message.Id);
        Assert.Equal("300000000000000042", posted.ReplyToMessageId);
        Assert.Equal("300000000000000042", message.MessageReference?.MessageId);
        var request = Assert.Single(harness.Simulator.Requests);
        Assert.Equal($"Bot {harness.Token}", request.Headers["Authorization"]);
        Assert.StartsWith("DiscordBot (", request.Headers["User-Agent"], StringComparison.Ordinal);
        var json = request.Json!.Value;
        Assert.Equal(0, json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.True(json.GetProperty("allowed_mentions").GetProperty("replied_user").GetBoolean());
        Assert.False(json.GetProperty("message_reference").GetProperty("fail_if_not_exists").GetBoolean());
        Assert.True(json.GetProperty("enforce_nonce").GetBoolean());
        Assert.False(string.IsNullOrEmpty(posted.Nonce));
    }

    [Fact]
    public async Task CreateMessages_4500CharacterReply_PostsOrderedChunksOnlyTheFirstReplying()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var paragraphs = Enumerable.Range(0, 9).Select(i => $"Paragraph {i}. " + new string((char)('a' + i), 486) + ".").ToArray();
        var reply = string.Join("\n\n", paragraphs);
        Assert.True(reply.Length >= 4500);

        var sent = await harness.Rest.CreateMessagesAsync(Channel, reply, replyToMessageId: "300000000000000042");

        var posted = harness.Simulator.Messages;
        Assert.Equal(3, posted.Count);
        Assert.Equal(sent.Select(m => m.Id), posted.Select(m => m.Id));
        Assert.All(posted, m => Assert.InRange(m.Content.Length, 1, 2000));
        Assert.Equal("300000000000000042", posted[0].ReplyToMessageId);
        Assert.All(posted.Skip(1), m => Assert.Null(m.ReplyToMessageId));
        Assert.Equal(reply, string.Join("\n\n", posted.Select(m => m.Content)));
    }

    [Fact]
    public async Task StartTyping_WhileTheModelWorks_RenewsTheIndicatorUntilDisposed()
    {
        await using var harness = await DiscordHarness.StartAsync();

        var typing = harness.Rest.StartTyping(Channel);
        await harness.Simulator.WaitForAsync(() => harness.Simulator.TypingCount(Channel) >= 2, "two typing indicators");
        await typing.DisposeAsync();
        var count = harness.Simulator.TypingCount(Channel);
        await Task.Delay(600);

        Assert.Equal(count, harness.Simulator.TypingCount(Channel));
        Assert.All(harness.Simulator.Requests, r => Assert.Equal("POST", r.Method));
    }

    [Fact]
    public async Task CreateMessage_Route429_NextRequestsOnTheBucketWaitRetryAfterOtherChannelsDoNot()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var retryAfter = TimeSpan.FromSeconds(1);
        harness.Simulator.Return429(SimulatedRateLimitScope.Route, retryAfter, $"/channels/{Channel}/");

        var first = harness.Rest.CreateMessageAsync(Channel, "one");
        await harness.RestLog.WaitForEventAsync(RateLimitedEvent);
        var second = harness.Rest.CreateMessageAsync(Channel, "two");
        await harness.Rest.CreateMessageAsync(OtherChannel, "elsewhere");
        await Task.WhenAll(first, second);

        var requests = harness.Simulator.Requests;
        var limited = Assert.Single(requests, r => r.StatusCode == 429);
        Assert.True(limited.Injected);
        var sameBucket = requests.Where(r => r.Path.Contains(Channel, StringComparison.Ordinal) && r.Sequence > limited.Sequence).ToArray();
        Assert.Equal(2, sameBucket.Length);
        Assert.All(sameBucket, r => Assert.True(r.ReceivedAt - limited.ReceivedAt >= retryAfter,
            $"{r} came {(r.ReceivedAt - limited.ReceivedAt).TotalMilliseconds} ms after the 429"));
        var elsewhere = Assert.Single(requests, r => r.Path.Contains(OtherChannel, StringComparison.Ordinal));
        Assert.True(elsewhere.ReceivedAt - limited.ReceivedAt < retryAfter);
        var contents = harness.Simulator.Messages.Select(m => m.Content).ToList();
        Assert.Equal(["elsewhere", "one", "two"], contents.Order(StringComparer.Ordinal));
        Assert.True(contents.IndexOf("one") < contents.IndexOf("two"));
    }

    [Fact]
    public async Task Request_Global429_HoldsEveryRouteForRetryAfter()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var retryAfter = TimeSpan.FromMilliseconds(600);
        harness.Simulator.Return429(SimulatedRateLimitScope.Global, retryAfter);

        var typing = harness.Rest.TriggerTypingAsync(Channel);
        await harness.RestLog.WaitForEventAsync(RateLimitedEvent);
        await Task.WhenAll(
            typing,
            harness.Rest.CreateMessageAsync(OtherChannel, "after the global limit"),
            harness.Rest.GetCurrentUserAsync());

        var requests = harness.Simulator.Requests;
        var limited = Assert.Single(requests, r => r.StatusCode == 429);
        Assert.True(limited.Injected);
        var later = requests.Where(r => r.Sequence > limited.Sequence).ToArray();
        Assert.Equal(3, later.Length);
        Assert.All(later, r => Assert.True(r.ReceivedAt - limited.ReceivedAt >= retryAfter,
            $"{r} came {(r.ReceivedAt - limited.ReceivedAt).TotalMilliseconds} ms after the global 429"));
        Assert.All(later, r => Assert.InRange(r.StatusCode, 200, 299));
    }

    [Fact]
    public async Task CreateMessage_BurstBeyondTheBucket_WaitsForResetsWithoutA429()
    {
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions
        {
            MessageRouteLimit = 3,
            RouteResetAfter = TimeSpan.FromMilliseconds(300),
        });

        for (var i = 0; i < 8; i++)
        {
            await harness.Rest.CreateMessageAsync(Channel, $"message {i}");
        }

        Assert.DoesNotContain(harness.Simulator.Requests, r => r.StatusCode == 429);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"message {i}"), harness.Simulator.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task CreateMessage_Two502s_RetriesAndPostsOnce()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Simulator.Return5xx(2, 502);

        var message = await harness.Rest.CreateMessageAsync(Channel, "eventually");

        Assert.Equal([502, 502, 200], harness.Simulator.Requests.Select(r => r.StatusCode));
        Assert.Equal(message.Id, Assert.Single(harness.Simulator.Messages).Id);
        Assert.Single(harness.Simulator.Requests.Select(r => r.Json!.Value.GetProperty("nonce").GetString()).Distinct());
    }

    [Fact]
    public async Task CreateMessage_Persistent5xx_ThrowsTransientAfterTheRetries()
    {
        await using var harness = await DiscordHarness.StartAsync(maxRetries: 2);
        harness.Simulator.Return5xx(10, 503);

        var error = await Assert.ThrowsAsync<DiscordException>(() => harness.Rest.CreateMessageAsync(Channel, "never"));

        Assert.True(error.IsTransient);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, harness.Simulator.Requests.Count);
        Assert.Empty(harness.Simulator.Messages);
    }

    [Fact]
    public async Task GetCurrentUser_WrongToken_ThrowsNamingTheSettingWithoutTheToken()
    {
        const string wrong = "wrong-token-abcdefghijklmnop";
        await using var harness = await DiscordHarness.StartAsync(clientToken: wrong);

        var error = await Assert.ThrowsAsync<DiscordException>(() => harness.Rest.GetCurrentUserAsync());

        Assert.False(error.IsTransient);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("DISCORD_BOT_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, harness.RestLog.AllText, StringComparison.Ordinal);
    }
}
