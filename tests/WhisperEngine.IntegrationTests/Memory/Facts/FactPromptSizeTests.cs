using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;
using Xunit.Abstractions;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>
/// What fact extraction costs in prompt tokens (o200k), printed for docs/memory.md: run with
/// <c>--logger "console;verbosity=detailed"</c>. The bound keeps a cheap model's call cheap.
/// </summary>
public sealed class FactPromptSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void ExtractionPrompt_TenMessagesTwentyKnownFacts_UnderTwelveHundredTokens()
    {
        var owner = new FactOwner("default", "elena", "ann");
        var facts = Enumerable.Range(1, 20).Select(i => new FactRecord
        {
            Id = i,
            Owner = owner,
            Subject = FactSubject.User,
            Key = i % 2 == 0 ? $"pet.dog{i}.name" : $"hobby_{i}",
            Value = i % 2 == 0 ? "Biscuit the golden retriever" : "rock climbing on weekends",
            Confidence = 0.9,
            Source = "message:1",
            Privacy = PrivacyLevel.DirectMessage,
            ChannelId = "dm",
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        }).ToList();
        string[] lines =
        [
            "I just moved to Porto with my sister Maria.", "How exciting! How is it going?", "Great, I found a job as a nurse at the hospital.",
            "Congratulations!", "Thanks! My dog Biscuit loves the beach here.", "That sounds wonderful.", "I'm learning Portuguese on weekends.",
            "Boa sorte!", "Haha thanks. Also I quit smoking last month.", "That's a big step.",
        ];
        var messages = lines.Select((l, i) => new FactSourceMessage(100 + i, i % 2 == 0 ? MessageRole.User : MessageRole.Assistant, l, DateTimeOffset.UnixEpoch)).ToList();

        var sizes = new List<int>();
        foreach (var known in new[] { 0, 10, 20 })
        {
            var prompt = FactExtractionPrompt.Build([.. facts.Take(known)], messages);
            var (system, user) = (FactHarness.Tokens.CountTokens(prompt[0].Text), FactHarness.Tokens.CountTokens(prompt[1].Text));
            output.WriteLine($"10 messages, {known} known facts: instructions {system} + conversation and facts {user} = {system + user} tokens");
            sizes.Add(system + user);
        }

        output.WriteLine($"20 facts as prompt lines: {facts.Sum(f => FactHarness.Tokens.CountTokens(FactPromptBuilder.Line(f)))} tokens");
        Assert.True(sizes[^1] < 1200, $"{sizes[^1]} tokens");
        Assert.True(sizes[0] < sizes[1] && sizes[1] < sizes[2]);
    }
}
