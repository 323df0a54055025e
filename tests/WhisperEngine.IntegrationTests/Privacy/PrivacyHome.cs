using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>
/// A desktop home with people's data in it, made the way the engine makes it: conversations through the real CLI chat
/// (messages and usage-ledger rows, with prices so costs are recorded), memories through the engine's memory writer.
/// </summary>
public sealed class PrivacyHome : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private PrivacyHome(FakeOpenAiServer model, IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        Model = model;
        Embedder = embedder;
        // The fake model repeats the message, so replies carry the person's words too.
        model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}", chunks: 2, promptTokens: 50, completionTokens: 12);
    }

    public FakeOpenAiServer Model { get; }

    public IEmbeddingGenerator<string, Embedding<float>> Embedder { get; }

    public string Path => _dir.Path;

    public string Database => System.IO.Path.Combine(_dir.Path, "whisperengine.db");

    public static async Task<PrivacyHome> StartAsync(IEmbeddingGenerator<string, Embedding<float>> embedder) =>
        new(await FakeOpenAiServer.StartAsync(), embedder);

    public Dictionary<string, string?> ModelEnvironment() => new()
    {
        ["LLM_CHAT_API_URL"] = Model.BaseUrl.ToString(),
        ["LLM_CHAT_MODEL"] = "fake-model",

        // The memory writes of a chat run in the background and must finish before it exits, however busy the machine.
        ["WHISPERENGINE_MEMORY__DRAIN_TIMEOUT_SECONDS"] = "120",
    };

    /// <summary>Arguments every CLI call gets: this home and a price for the fake model.</summary>
    public string[] Common() => ["--home", Path, "--set", "llm.prices.fake-model.prompt=10", "--set", "llm.prices.fake-model.completion=30"];

    /// <summary>Talks with <paramref name="bot"/> as <paramref name="user"/> through <c>whisperengine chat</c>, one line per message.</summary>
    public async Task ChatAsync(string user, string bot, params string[] lines)
    {
        var result = await CliRunner.RunAsync(["chat", .. Common(), "--user", user, "--character", bot], input: string.Join("\n", lines) + "\n/exit\n",
            environment: ModelEnvironment(), timeout: TimeSpan.FromSeconds(180));
        Assert.True(result.ExitCode == 0, $"chat failed: {result.Output} {result.Error}");
    }

    /// <summary>Runs <c>whisperengine memory ...</c> on this home.</summary>
    public Task<CliRunner.Result> MemoryAsync(string[] args, string? input = null) =>
        CliRunner.RunAsync(["memory", .. args, .. Common()], input: input, environment: ModelEnvironment(), timeout: TimeSpan.FromSeconds(120));

    /// <summary>The engine on this home, with the shared embedding model.</summary>
    public EngineHost Engine() => new(TestConfig.Load(Path, Model.BaseUrl, new Dictionary<string, string>
    {
        ["llm.prices.fake-model.prompt"] = "10",
        ["llm.prices.fake-model.completion"] = "30",
    }), services => services.AddSingleton(Embedder));

    /// <summary>Writes memories through the engine's one write path, then lets go of the database.</summary>
    public async Task RememberAsync(string user, string bot, params (string Text, PrivacyLevel Privacy, string Channel)[] memories)
    {
        await using (var engine = Engine())
        {
            var writer = engine.Get<MemoryWriter>();
            foreach (var (text, privacy, channel) in memories)
            {
                await writer.WriteAsync(new NewMemory(new MemoryPartition("default", bot, user), channel, privacy, user, text, DateTimeOffset.UtcNow)
                {
                    Context = "What is new with you?",
                });
            }
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>One number from the database (opened read-only, then closed).</summary>
    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One text from the database (opened read-only, then closed).</summary>
    public string? Text(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    public async ValueTask DisposeAsync()
    {
        await Model.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
