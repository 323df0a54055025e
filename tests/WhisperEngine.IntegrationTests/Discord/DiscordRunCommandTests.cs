using System.Diagnostics;
using System.Text;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary><c>whisperengine run</c> as a child process against the Discord simulator and the fake model.</summary>
public sealed class DiscordRunCommandTests
{
    private const string Token = "Sim.Secret.Token-7f3a9c2e";

    [Fact]
    public async Task Run_WithTokenAndApiBaseUrl_AnswersDirectMessageAndNeverPrintsToken()
    {
        using var home = new TempDirectory();
        await using var model = await FakeOpenAiServer.StartAsync();
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { Token = Token });
        model.DefaultReply = FakeReply.Text("Hola! Elena here.");
        var output = new StringBuilder();
        using var process = Process.Start(CliRunner.StartInfo(["run", "--home", home.Path], Environment(model, discord)))!;
        var stdout = Collect(process.StandardOutput, output);
        var stderr = Collect(process.StandardError, output);
        try
        {
            await discord.WaitForAsync(() => discord.SessionId() is not null || process.HasExited, "the bot's session", TimeSpan.FromSeconds(30));
            Assert.False(process.HasExited, "run exited: " + output);
            var id = await discord.SendMessageAsync(DiscordBotHarness.DmChannel, DiscordBotHarness.Human, "hi there");

            await discord.WaitForAsync(() => discord.Messages.Count >= 1, "the reply", TimeSpan.FromSeconds(20));
            Assert.Equal("Hola! Elena here.", discord.Messages[0].Content);
            Assert.Equal(id, discord.Messages[0].ReplyToMessageId);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
        }

        var text = output.ToString();
        Assert.Contains("connecting 1 bot(s) to Discord (elena", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("7f3a9c2e", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithoutToken_ExitsNotConfiguredNamingDiscordBotToken()
    {
        using var home = new TempDirectory();
        var result = await CliRunner.RunAsync(["run", "--home", home.Path], environment: new Dictionary<string, string?>
        {
            ["LLM_CHAT_API_URL"] = "http://127.0.0.1:9/v1",
            ["LLM_CHAT_MODEL"] = "fake-model",
        });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("DISCORD_BOT_TOKEN", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithRejectedToken_ExitsNonZeroWithClearErrorAndNoToken()
    {
        using var home = new TempDirectory();
        await using var model = await FakeOpenAiServer.StartAsync();
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { Token = "the-right-token" });

        var result = await CliRunner.RunAsync(["run", "--home", home.Path], environment: Environment(model, discord), timeout: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("rejected the bot token", result.Error, StringComparison.Ordinal);
        Assert.Contains("DISCORD_BOT_TOKEN", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigShow_WithDiscordToken_MasksIt()
    {
        using var home = new TempDirectory();
        var result = await CliRunner.RunAsync(["config", "show", "--home", home.Path], environment: new Dictionary<string, string?> { ["DISCORD_BOT_TOKEN"] = Token });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("discord.token", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Output + result.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Environment(FakeOpenAiServer model, DiscordSimulator discord) => new()
    {
        ["DISCORD_BOT_TOKEN"] = Token,
        ["DISCORD_API_BASE_URL"] = discord.ApiBaseUrl.ToString(),
        ["LLM_CHAT_API_URL"] = model.BaseUrl.ToString(),
        ["LLM_CHAT_MODEL"] = FakeOpenAiServer.ModelId,
        ["WHISPERENGINE_LOGGING__LEVEL"] = "trace",
    };

    private static async Task Collect(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }
}
