using WhisperEngine.Discord.Bot;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>One bot of a <see cref="DiscordBotHarness"/>: its simulated Discord (its token, its user) and its runner.</summary>
public sealed record BotUnderTest(DiscordSimulator Simulator, DiscordBotRunner Runner, Task Run)
{
    public string UserId => Simulator.Options.BotUserId;

    public string Mention => $"<@{UserId}>";

    /// <summary>Waits until the bot has posted <paramref name="count"/> messages and returns them.</summary>
    public async Task<IReadOnlyList<Testing.Discord.PostedMessage>> WaitForMessagesAsync(int count)
    {
        await Simulator.WaitForAsync(() => Simulator.Messages.Count >= count, $"{count} messages from {Runner.BotId}", TimeSpan.FromSeconds(15));
        return Simulator.Messages;
    }
}
