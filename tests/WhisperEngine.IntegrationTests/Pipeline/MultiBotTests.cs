using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Pipeline;

/// <summary>Two bots side by side in one deployment (multi-bot tier, PostgreSQL): own credentials, own data.</summary>
public sealed class MultiBotTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly string _schema = TestServers.NewSchema();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await TestServers.DropSchemaAsync(_schema);
    }

    public void Dispose() => _home.Dispose();

    private LoadedConfiguration Configuration()
    {
        _home.Write("config.yaml", $"""
            bots:
              - id: sea-bot
                character: elena
                api_key: key-of-sea-bot
                model: model-a
              - id: lab-bot
                character: marcus
                api_key: key-of-lab-bot
                model: model-b
                max_concurrent_turns: 2
            storage:
              postgres:
                schema: {_schema}
            """);
        var request = TestConfig.Request(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["storage.postgres.connection_string"] = TestServers.Postgres,
        });
        return ConfigurationLoader.Load(new ConfigLoadRequest
        {
            Home = request.Home,
            Overrides = new Dictionary<string, (string, string)>(request.Overrides.Where(o => o.Key != "llm.chat.model")),
            ProfilesDirectory = request.ProfilesDirectory,
            BuiltInCharactersDirectory = request.BuiltInCharactersDirectory,
            GetEnvironmentVariable = request.GetEnvironmentVariable,
            EnvironmentVariableNames = request.EnvironmentVariableNames,
        });
    }

    [Fact]
    public async Task TwoBots_OneUserTalksToBoth_EachBotKeepsItsOwnConversationAndCredentials()
    {
        var configuration = Configuration();
        Assert.Equal("multi-bot", configuration.Tier);
        Assert.Contains("2 bots", configuration.TierReason, StringComparison.Ordinal);
        Assert.DoesNotContain(configuration.Settings, s => s.Display.Contains("key-of-", StringComparison.Ordinal));
        await using var serve = await ServeHost.StartAsync(configuration);
        ChatClient Client(string bot) => new(bot, new ApiKeyCredential("unused"),
            new OpenAIClientOptions { Endpoint = serve.V1, RetryPolicy = new ClientRetryPolicy(0) });
        var ann = new ChatCompletionOptions { EndUserId = "ann" };

        var models = (await new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = serve.V1 })
            .GetOpenAIModelClient().GetModelsAsync()).Value;
        await Client("sea-bot").CompleteChatAsync([new UserChatMessage("Sea secret: I found a pearl.")], ann);
        await Client("lab-bot").CompleteChatAsync([new UserChatMessage("Lab secret: my thesis is on ants.")], ann);
        await Client("lab-bot").CompleteChatAsync([new UserChatMessage("What did I tell you?")], ann);
        await Client("sea-bot").CompleteChatAsync([new UserChatMessage("And me?")], ann);

        Assert.Equal(["lab-bot", "sea-bot"], models.Select(m => m.Id).Order());
        var byBot = _model.Requests.GroupBy(r => r.Authorization).ToDictionary(g => g.Key!, g => g.ToList());
        Assert.Equal(2, byBot["Bearer key-of-sea-bot"].Count);
        Assert.Equal(2, byBot["Bearer key-of-lab-bot"].Count);
        Assert.All(byBot["Bearer key-of-sea-bot"], r => Assert.Equal("model-a", r.Model));
        Assert.All(byBot["Bearer key-of-sea-bot"], r => Assert.Contains("Elena Rodriguez", r.Messages[0].Content, StringComparison.Ordinal));
        Assert.All(byBot["Bearer key-of-lab-bot"], r => Assert.Contains("Marcus Thompson", r.Messages[0].Content, StringComparison.Ordinal));
        Assert.All(byBot["Bearer key-of-lab-bot"], r => Assert.DoesNotContain(r.Messages, m => m.Content?.Contains("pearl", StringComparison.Ordinal) == true));
        Assert.All(byBot["Bearer key-of-sea-bot"], r => Assert.DoesNotContain(r.Messages, m => m.Content?.Contains("ants", StringComparison.Ordinal) == true));
        Assert.Contains(byBot["Bearer key-of-lab-bot"][1].Messages, m => m.Content == "Lab secret: my thesis is on ants.");
    }

    [Fact]
    public async Task Bot_WithUnknownCharacter_RefusesToStartNamingTheBot()
    {
        _home.Write("config.yaml", "bots:\n  - id: ghost\n    character: nobody\n  - id: b2\n    character: elena\n");
        var configuration = ConfigurationLoader.Load(TestConfig.Request(_home.Path, _model.BaseUrl,
            new Dictionary<string, string> { ["tier"] = "desktop" }));

        var ex = await Assert.ThrowsAsync<ConfigurationException>(async () => await ServeHost.StartAsync(configuration));

        Assert.Contains("'ghost' speaks as 'nobody'", ex.Message, StringComparison.Ordinal);
    }
}
