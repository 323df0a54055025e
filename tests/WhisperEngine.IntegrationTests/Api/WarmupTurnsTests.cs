using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Turns;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Api;

/// <summary>
/// serve's warm-up turns (<c>server.warmup_turns</c>): run through the server's own endpoint before <c>/readyz</c>,
/// answered without the provider, and leave nothing behind: no request to the model, no stored row, no spend.
/// </summary>
public sealed class WarmupTurnsTests : IAsyncLifetime, IDisposable
{
    private const string Key = "we-warmup-test-key";
    private const int Turns = 24;
    private readonly TempDirectory _home = new();
    private readonly HttpClient _http = new();
    private readonly RecordingLoggerFactory _logs = new();
    private FakeOpenAiServer _model = null!;
    private ServeHost _serve = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}");
        // Behind an API key, as a server beyond loopback is: the warm-up's own requests must pass it too.
        _serve = await ServeHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["server.api_key"] = Key,
            ["server.warmup_turns"] = Turns.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["logging.level"] = "information",
        }), _logs.AsProvider());
        await ReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _model.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _home.Dispose();
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
        Assert.Equal(0, Count("SELECT count(*) FROM conversations"));
        Assert.Equal(0, Count("SELECT count(*) FROM messages"));
        Assert.Equal(0, Count("SELECT count(*) FROM memories"));
        Assert.Equal(0, Count("SELECT count(*) FROM usage_ledger"));
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
        Assert.Equal(1, Count("SELECT count(*) FROM conversations WHERE tenant_id = 'default' AND user_id = 'ann'"));
        Assert.Equal(0, Count($"SELECT count(*) FROM conversations WHERE tenant_id = '{WarmupTurns.Tenant}'"));
        Assert.Equal(1, Count("SELECT count(*) FROM usage_ledger"));
    }

    [Fact]
    public void BotTenant_TheWarmupTenant_IsRefusedNamingTheSetting()
    {
        using var home = new TempDirectory();
        home.Write("config.yaml", $"bots:\n  - id: b1\n    character: elena\n    tenant: {WarmupTurns.Tenant}\n");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(TestConfig.Request(home.Path, _model.BaseUrl)));

        Assert.Contains("bots.0.tenant", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reserved for serve's warm-up", ex.Message, StringComparison.Ordinal);
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

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_home.Path, "whisperengine.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
