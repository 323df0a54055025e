using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>How turns are answered: in channel order, failures in character, long replies in chunks.</summary>
public sealed class DiscordBotTurnTests
{
    [Fact]
    public async Task ThreeQuickMessagesInChannel_FromDifferentUsers_AnsweredInArrivalOrder()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        // The first answer is the slowest: without per-channel order it would arrive last.
        harness.Model.Responder = r => r.Messages[^1].Content switch
        {
            "one" => FakeReply.Text("answer one", firstTokenDelay: TimeSpan.FromMilliseconds(400)),
            "two" => FakeReply.Text("answer two", firstTokenDelay: TimeSpan.FromMilliseconds(150)),
            _ => FakeReply.Text("answer three"),
        };

        var ids = new List<string>();
        var users = new[] { "500000000000000001", "500000000000000002", "500000000000000003" };
        foreach (var (text, user) in new[] { "one", "two", "three" }.Zip(users))
        {
            ids.Add(await harness.SayAsync($"{bot.Mention} {text}", author: user));
        }

        var posted = await bot.WaitForMessagesAsync(3);
        Assert.Equal(["answer one", "answer two", "answer three"], posted.Select(m => m.Content));
        Assert.Equal(ids, posted.Select(m => m.ReplyToMessageId));
    }

    [Fact]
    public async Task ModelFails_AfterRetries_AnswersInCharacterAndKeepsUserMessage()
    {
        await using var harness = await DiscordBotHarness.StartAsync(new Dictionary<string, string> { ["llm.chat.max_retries"] = "0" });
        var bot = await harness.AddBotAsync();
        harness.Model.DefaultReply = FakeReply.Error(500);

        await harness.SayAsync($"{bot.Mention} are you there?");

        var reply = (await bot.WaitForMessagesAsync(1))[0].Content;
        Assert.StartsWith("*Elena", reply, StringComparison.Ordinal);
        Assert.True(reply.Length < 200);
        Assert.DoesNotContain("Exception", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("500", reply, StringComparison.Ordinal);
        Assert.Equal(1, await harness.StoredAsync());
    }

    [Fact]
    public async Task LongModelReply_4500Characters_ArrivesAsOrderedChunks()
    {
        await using var harness = await DiscordBotHarness.StartAsync(new Dictionary<string, string> { ["engine.default_max_output_tokens"] = "4000" });
        var bot = await harness.AddBotAsync();
        var paragraphs = Enumerable.Range(1, 9).Select(i => $"Part {i}. " + string.Concat(Enumerable.Repeat("The reef is alive tonight. ", 18)).Trim());
        var story = string.Join("\n\n", paragraphs);
        Assert.InRange(story.Length, 4400, 4700);
        harness.Model.DefaultReply = FakeReply.Text(story);

        var id = await harness.SayAsync($"{bot.Mention} tell me a long story");

        await bot.WaitForMessagesAsync(3);
        await bot.Runner.IdleAsync();
        var posted = bot.Simulator.Messages;
        Assert.Equal(3, posted.Count);
        Assert.All(posted, m => Assert.True(m.Content.Length <= 2000));
        Assert.Equal(id, posted[0].ReplyToMessageId);
        Assert.All(posted.Skip(1), m => Assert.Null(m.ReplyToMessageId));
        Assert.Equal(Squash(story), Squash(string.Concat(posted.Select(m => m.Content))));
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
