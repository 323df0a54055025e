using WhisperEngine.AI.Embeddings;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>/embeddings</c> endpoint (<c>ai.embeddings.provider: openai</c>) instead of
/// the local model, against the fake server's embeddings route: used for writes and recall, tagged with the configured
/// model, and a failing endpoint costs memories, never the reply.
/// </summary>
public sealed class OpenAiEmbeddingsTests
{
    private const PrivacyLevel Dm = PrivacyLevel.DirectMessage;
    private static readonly MemoryPartition Ann = new("default", "elena", "ann");

    private static Dictionary<string, string> OpenAi(int dimensions = 64) => new()
    {
        ["ai.embeddings.provider"] = "openai",
        ["ai.embeddings.model"] = "fake-embed",
        ["ai.embeddings.dimensions"] = dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["memory.remember_replies"] = "false",
    };

    [Fact]
    public async Task Turns_WithTheOpenAiProvider_AreEmbeddedByTheEndpointTaggedWithItsModelAndRecalled()
    {
        await using var memory = await MemoryEngine.StartAsync(OpenAi());
        await memory.SayAsync("ann", "dm-1", Dm, "My sister Kate is moving to Lisbon next month.", userName: "Ann");

        memory.Clock.Advance(TimeSpan.FromDays(4));
        var system = await memory.SayAsync("ann", "dm-2", Dm, "Where is my sister Kate moving to?", userName: "Ann");

        Assert.Contains("Ann: My sister Kate is moving to Lisbon next month.", system, StringComparison.Ordinal);
        var embeddingRequests = memory.Model.Requests.Where(r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(embeddingRequests);
        Assert.All(embeddingRequests, r => Assert.Equal("fake-embed", r.Model));
        var store = memory.Engine.Get<IMemoryStore>();
        Assert.Equal(2, (await store.GetVectorsAsync(Ann, new EmbeddingModelId("fake-embed", 64))).Count);
        Assert.Empty(await store.GetVectorsAsync(Ann, new EmbeddingModelId(MiniLmEmbeddingGenerator.Float32ModelId, 384)));
        Assert.Empty(await store.GetVectorsAsync(Ann, new EmbeddingModelId(MiniLmEmbeddingGenerator.Int8ModelId, 384)));
    }

    [Fact]
    public async Task EndpointFailing_RepliesStillComeAndMemoriesResumeWhenItIsBack()
    {
        await using var memory = await MemoryEngine.StartAsync(OpenAi());
        memory.Model.EmbeddingError = FakeReply.Error(500);

        var result = await memory.Engine.Pipeline.RunAsync(new Core.Turns.TurnRequest(new ConversationKey("default", "elena", "ann", "dm-1"), Dm,
            "I adopted a grey cat called Pixel."));
        await memory.Engine.BackgroundIdleAsync();

        Assert.StartsWith("Noted", result.Reply, StringComparison.Ordinal);
        var store = memory.Engine.Get<IMemoryStore>();
        Assert.Equal(0, await store.CountAsync(Ann));
        Assert.Contains(memory.Model.Requests, r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal));

        memory.Model.EmbeddingError = null;
        await memory.SayAsync("ann", "dm-1", Dm, "Pixel sleeps on the radiator all day.", userName: "Ann");
        Assert.Equal(1, await store.CountAsync(Ann));
    }

    [Fact]
    public async Task Generator_VectorsOfAnotherLength_RefusedNamingTheSetting()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.EmbeddingDimensions = 48;
        using var generator = new OpenAiEmbeddingGenerator(server.BaseUrl, "sk-secret-do-not-print", "fake-embed", 64, TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["hello there"]));

        Assert.Contains("set ai.embeddings.dimensions: 48", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal("Bearer sk-secret-do-not-print", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public void Settings_LocalProviderWithAnotherModel_IsAProblemNamingTheSetting()
    {
        using var home = new TempDirectory();
        var error = Assert.Throws<ConfigurationException>(() => TestConfig.Load(home.Path, new Uri("http://127.0.0.1:9/v1"),
            new Dictionary<string, string> { ["ai.embeddings.model"] = "text-embedding-3-small" }));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("ai.embeddings.model", problem.Field);
        Assert.Contains("provider: openai", problem.Message, StringComparison.Ordinal);
    }
}
