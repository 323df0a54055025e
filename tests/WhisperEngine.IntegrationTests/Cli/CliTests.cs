using System.Text.Json;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Cli;

/// <summary>The real program, run as a new user would run it.</summary>
public sealed class CliTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose() => _home.Dispose();

    private Dictionary<string, string?> ModelEnvironment() => new()
    {
        ["LLM_CHAT_API_URL"] = _model.BaseUrl.ToString(),
        ["LLM_CHAT_MODEL"] = "fake-model",
        ["LLM_CHAT_API_KEY"] = "sk-test-secret-0000",
    };

    [Fact]
    public async Task Chat_NothingConfigured_SaysWhatToSetAndExitsNonZero()
    {
        var result = await CliRunner.RunAsync(["chat", "--home", _home.Path], input: "hello\n");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("LLM_CHAT_API_URL", result.Error, StringComparison.Ordinal);
        Assert.Contains("LLM_CHAT_MODEL", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _model.RequestCount);
    }

    [Fact]
    public async Task Chat_TwoSessions_StreamsRepliesAndRemembersAfterRestart()
    {
        _model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}", chunks: 3);
        var home = Path.Combine(_home.Path, "not", "created", "yet");

        var first = await CliRunner.RunAsync(["chat", "--home", home, "--user", "sam"],
            input: "My boat is called Sea Otter.\n/exit\n", environment: ModelEnvironment());
        var second = await CliRunner.RunAsync(["chat", "--home", home, "--user", "sam"],
            input: "/history\nWhat is my boat called?\n", environment: ModelEnvironment());

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Elena Rodriguez> You said: My boat is called Sea Otter.", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("2 earlier messages remembered", second.Output, StringComparison.Ordinal);
        Assert.Contains("sam: My boat is called Sea Otter.", second.Output, StringComparison.Ordinal);
        var last = _model.Requests[^1].Messages;
        Assert.Equal(["system", "user", "assistant", "user"], last.Select(m => m.Role));
        Assert.Equal("My boat is called Sea Otter.", last[1].Content);
        Assert.DoesNotContain("sk-test-secret-0000", first.Output + first.Error + second.Output + second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MultiLineInputAndForget_SendsOneMessageThenStartsFresh()
    {
        var result = await CliRunner.RunAsync(["chat", "--home", _home.Path, "--character", "marcus"],
            input: "first line \\\nsecond line\n\"\"\"\nblock one\nblock two\n\"\"\"\n/forget\nafter forgetting\n", environment: ModelEnvironment());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, _model.RequestCount);
        Assert.Equal("first line \nsecond line", _model.Requests[0].Messages[^1].Content?.ReplaceLineEndings("\n"));
        Assert.Equal("block one\nblock two", _model.Requests[1].Messages[^1].Content?.ReplaceLineEndings("\n"));
        Assert.Contains("Forgot 4 messages", result.Output, StringComparison.Ordinal);
        Assert.Equal(["system", "user"], _model.Requests[2].Messages.Select(m => m.Role));
        Assert.Contains("Marcus Thompson", _model.Requests[0].Messages[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ModelCommand_SwitchesTheModelForTheSession()
    {
        var result = await CliRunner.RunAsync(["chat", "--home", _home.Path], input: "/model other-model\nhi\n", environment: ModelEnvironment());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("other-model", Assert.Single(_model.Requests).Model);
    }

    [Fact]
    public async Task Chat_ModelFails_ShowsShortErrorAndKeepsGoing()
    {
        _model.Enqueue(FakeReply.Error(400, "bad request from provider", type: "invalid_request_error"));

        var result = await CliRunner.RunAsync(["chat", "--home", _home.Path], input: "one\ntwo\n", environment: ModelEnvironment());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("HTTP 400", result.Error, StringComparison.Ordinal);
        Assert.Contains("Hello from the fake model.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigShow_Json_ReportsSourcesAndMasksSecrets()
    {
        var result = await CliRunner.RunAsync(["config", "show", "--format", "json", "--home", _home.Path, "--set", "engine.history_messages=42"],
            environment: ModelEnvironment());

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var settings = doc.RootElement.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!, s => (Value: s.GetProperty("value").GetString(), Source: s.GetProperty("source").GetString()));
        Assert.Equal(("fake-model", "environment LLM_CHAT_MODEL"), settings["llm.chat.model"]);
        Assert.Equal(("42", "--set engine.history_messages"), settings["engine.history_messages"]);
        Assert.Equal("true", settings["memory.enabled"].Value);
        Assert.StartsWith("configs/desktop.yaml:", settings["memory.recall_count"].Source, StringComparison.Ordinal);
        Assert.StartsWith("configs/desktop.yaml:", settings["storage.provider"].Source, StringComparison.Ordinal);
        Assert.StartsWith("computed", settings["workers.max_concurrent_turns"].Source, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-secret", result.Output, StringComparison.Ordinal);
        Assert.Equal("desktop", doc.RootElement.GetProperty("tier").GetString());
        Assert.True(doc.RootElement.GetProperty("environment").GetProperty("effective_cpus").GetDouble() > 0);
    }

    [Fact]
    public async Task ConfigShow_ForcedTier_UsesThatProfile()
    {
        var result = await CliRunner.RunAsync(["config", "show", "--format", "json", "--home", _home.Path, "--tier", "cloud", "--set", "storage.postgres.host=db.internal"]);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal("cloud", doc.RootElement.GetProperty("tier").GetString());
        Assert.Contains("--tier", doc.RootElement.GetProperty("tier_reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_BadConfigFile_NamesFileLineAndSetting()
    {
        File.WriteAllText(Path.Combine(_home.Path, "config.yaml"), "engine:\n  max_prompt_tokens: lots\nllm:\n  chat:\n    modle: x\n");

        var result = await CliRunner.RunAsync(["chat", "--home", _home.Path], input: "hi\n", environment: ModelEnvironment());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("config.yaml:2:1: 'engine.max_prompt_tokens': 'lots' is not a whole number", result.Error, StringComparison.Ordinal);
        Assert.Contains("config.yaml:5:1: 'llm.chat.modle': unknown setting; did you mean 'llm.chat.model'?", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_BadEnvironmentValue_NamesTheVariable()
    {
        var env = ModelEnvironment();
        env["WHISPERENGINE_LLM__CHAT__MAX_RETRIES"] = "many";

        var result = await CliRunner.RunAsync(["config", "show", "--home", _home.Path], environment: env);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("environment WHISPERENGINE_LLM__CHAT__MAX_RETRIES: 'llm.chat.max_retries': 'many' is not a whole number", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_BadCharacterFile_NamesFileLineAndField()
    {
        _home.Write("characters/broken.yaml", "id: broken\nname: Broken\npersona: hi\ngeneration:\n  temperature: hot\n");

        var result = await CliRunner.RunAsync(["chat", "--home", _home.Path], input: "hi\n", environment: ModelEnvironment());

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("broken.yaml:5:16: 'generation.temperature': expected a number between 0 and 2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CharactersValidate_ReportsEveryProblemAndListShowsTheExamples()
    {
        var bad = _home.Write("check/bad.yaml", "id: Bad Id\nname: x\npersonality: y\n");
        var good = _home.Write("check/good.yaml", "id: good\nname: Good\npersona: A kind helper.\n");

        var validate = await CliRunner.RunAsync(["characters", "validate", Path.GetDirectoryName(bad)!, "--home", _home.Path]);
        var list = await CliRunner.RunAsync(["characters", "list", "--home", _home.Path]);

        Assert.Equal(4, validate.ExitCode);
        Assert.Contains($"ok     {good}", validate.Output, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:1:5: 'id': 'Bad Id' is not a valid id", validate.Error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:3:1: 'personality': unknown field", validate.Error, StringComparison.Ordinal);
        Assert.Contains("'persona': is required", validate.Error, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("elena", list.Output, StringComparison.Ordinal);
        Assert.Contains("marcus", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_And_Help_Work()
    {
        var version = await CliRunner.RunAsync(["--version"]);
        var help = await CliRunner.RunAsync(["serve", "--help"]);

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.", version.Output, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--urls", help.Output, StringComparison.Ordinal);
    }
}
