using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using WhisperEngine.Core.Turns;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Api;

/// <summary>
/// serve's warm-up turns (<c>server.warmup_turns</c>): run through the server's own endpoint before <c>/readyz</c>,
/// answered without the provider, and leave nothing behind: no request to the model, no stored row, no spend. On
/// SQLite (the desktop tier) and on PostgreSQL + Redis (the server tiers, whose profiles turn it on).
/// </summary>
public abstract class WarmupTurnsTests : IAsyncLifetime, IDisposable
{
    private const string Key = "we-warmup-test-key";
    private const int Turns = 24;
    private readonly HttpClient _http = new();
    private readonly RecordingLoggerFactory _logs = new();
    private FakeOpenAiServer _model = null!;
    private ServeHost _serve = null!;

    protected TempDirectory Home { get; } = new();

    /// <summary>The backend's settings.</summary>
    protected abstract Dictionary<string, string> Backend();

    /// <summary>A count from the backend's store (unqualified table names).</summary>
    protected abstract Task<long> CountAsync(string sql);

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}");
        // Behind an API key, as a server beyond loopback is: the warm-up's own requests must pass it too.
        var settings = Backend();
        settings["server.api_key"] = Key;
        settings["server.warmup_turns"] = Turns.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["logging.level"] = "information";
        _serve = await ServeHost.StartAsync(TestConfig.Load(Home.Path, _model.BaseUrl, settings), _logs.AsProvider());
        await ReadyAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _model.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        Home.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Warmup_RunsItsTurnsBeforeReadyWithoutTheModelAndLeavesNothingStored()
    {
        var warmed = Assert.Single(_logs.Entries, e => e.EventId == 4021);
        // The background memory writes of the last turns had their chance to land after the erasure.
        await Task.Delay(500);

        Assert.Contains($"Warm-up: {Turns} turns (0 failed)", warmed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId == 4022);
        Assert.Equal(0, _model.RequestCount);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM conversations"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM messages"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM memories"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM usage_ledger"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-process-key")]
    public async Task ChatRequest_WithoutTheProcessKey_TalksInTheBotsTenantToTheModel(string? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_serve.BaseUrl, "v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"elena","user":"ann","messages":[{"role":"user","content":"I grow tomatoes."}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        if (header is not null)
        {
            request.Headers.Add("X-WhisperEngine-Warmup", header);
        }

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You said: I grow tomatoes.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, _model.RequestCount);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM conversations WHERE tenant_id = 'default' AND user_id = 'ann'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM conversations WHERE tenant_id = '{WarmupTurns.Tenant}'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM usage_ledger"));
    }

    private async Task ReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await _http.GetAsync(new Uri(_serve.BaseUrl, "readyz"));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"serve not ready: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(50);
        }
    }
}

/// <summary>The warm-up on SQLite; and the configuration's refusal of the warm-up tenant.</summary>
public sealed class WarmupTurnsSqliteTests : WarmupTurnsTests
{
    [Fact]
    public void BotTenant_TheWarmupTenant_IsRefusedNamingTheSetting()
    {
        using var home = new TempDirectory();
        home.Write("config.yaml", $"bots:\n  - id: b1\n    character: elena\n    tenant: {WarmupTurns.Tenant}\n");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(TestConfig.Request(home.Path, new Uri("http://127.0.0.1:9/v1/"))));

        Assert.Contains("bots.0.tenant", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reserved for serve's warm-up", ex.Message, StringComparison.Ordinal);
    }

    protected override Dictionary<string, string> Backend() => [];

    protected override Task<long> CountAsync(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Home.Path, "whisperengine.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Task.FromResult((long)command.ExecuteScalar()!);
    }
}

/// <summary>The warm-up on PostgreSQL + Redis, as the server profiles run it.</summary>
public sealed class WarmupTurnsPostgresTests : WarmupTurnsTests
{
    private readonly string _schema = TestServers.NewSchema();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestServers.DropSchemaAsync(_schema);
    }

    protected override Dictionary<string, string> Backend() => new()
    {
        ["tier"] = "multi-bot",
        ["storage.postgres.connection_string"] = TestServers.Postgres,
        ["storage.postgres.schema"] = _schema,
        ["redis.connection_string"] = TestServers.Redis,
        ["cache.provider"] = "redis",
    };

    protected override async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServers.Postgres) { SearchPath = _schema }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
