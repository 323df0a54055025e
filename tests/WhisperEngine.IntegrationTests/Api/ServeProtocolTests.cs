using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Api;

/// <summary>Wire-level behaviour of serve: errors, SSE framing, health, metrics, API key.</summary>
public sealed class ServeProtocolTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly HttpClient _http = new();
    private FakeOpenAiServer _model = null!;
    private ServeHost _serve = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _serve = await ServeHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl));
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

    private Task<HttpResponseMessage> PostAsync(string body, string path = "v1/chat/completions") =>
        _http.PostAsync(new Uri(_serve.BaseUrl, path), new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error;
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "missing_model")]
    [InlineData("{\"model\":\"elena\",\"messages\":[]}", "invalid_messages")]
    [InlineData("{\"model\":\"elena\",\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}", "invalid_messages")]
    [InlineData("{\"model\":\"elena\",\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}", "invalid_input")]
    [InlineData("{\"model\":\"elena\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"privacy\":\"secret\"}}", "invalid_privacy")]
    public async Task ChatCompletions_BadRequest_Gets400WithOpenAiErrorAndStoresNothing(string body, string code)
    {
        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await ErrorOf(response)).GetProperty("code").GetString());
        Assert.Equal(0, _model.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_InvalidUtf8_Gets400()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"model\":\"elena\",\"messages\":[{\"role\":\"user\",\"content\":\"bad \"}]}").ToList();
        bytes.InsertRange(bytes.Count - 6, new byte[] { 0xC3, 0x28 });
        using var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _http.PostAsync(new Uri(_serve.BaseUrl, "v1/chat/completions"), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ErrorOf(response);
    }

    [Fact]
    public async Task ChatCompletions_TooLong_Gets400NamingTheLimit()
    {
        var text = new string('a', 9000);
        using var response = await PostAsync($"{{\"model\":\"elena\",\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}]}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("8000", (await ErrorOf(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_Stream_IsServerSentEventsEndingWithDone()
    {
        _model.Enqueue(FakeReply.Text("a b c", chunks: 3));

        using var response = await PostAsync("{\"model\":\"elena\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ChatCompletions_StreamWhenModelFails_Gets502JsonNotAStream()
    {
        _model.DefaultReply = FakeReply.Error(500);

        using var response = await PostAsync("{\"model\":\"elena\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_error", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_BodyOverTheLimit_Gets413()
    {
        using var home = new TempDirectory();
        await using var serve = await ServeHost.StartAsync(TestConfig.Load(home.Path, _model.BaseUrl,
            new Dictionary<string, string> { ["server.max_request_bytes"] = "2048" }));
        var text = new string('a', 4000);

        using var response = await _http.PostAsync(new Uri(serve.BaseUrl, "v1/chat/completions"),
            new StringContent($"{{\"model\":\"elena\",\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}]}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Gets404InOpenAiShape()
    {
        using var response = await _http.GetAsync(new Uri(_serve.BaseUrl, "v1/nothing-here"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ErrorOf(response);
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer200()
    {
        using var live = await _http.GetAsync(new Uri(_serve.BaseUrl, "healthz"));
        using var ready = await _http.GetAsync(new Uri(_serve.BaseUrl, "readyz"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"ready\"", body, StringComparison.Ordinal);
        // Ready means warm: the turn path is built and the tokenizer loaded before /readyz says so.
        Assert.Contains("\"turns\":\"ok\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterATurn_ExposesPrometheusTurnCounter()
    {
        await PostAsync("{\"model\":\"elena\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        string text = "";
        for (var i = 0; i < 50 && !text.Contains("whisperengine_turns", StringComparison.Ordinal); i++)
        {
            // The exporter caches a scrape briefly; a fresh scrape shows the new counter.
            await Task.Delay(100);
            text = await _http.GetStringAsync(new Uri(_serve.BaseUrl, "metrics"));
        }

        Assert.Contains("whisperengine_turns", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"ok\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_NoModelConfigured_Answers503NamingWhatToSet()
    {
        using var home = new TempDirectory();
        await using var serve = await ServeHost.StartAsync(TestConfig.Load(home.Path, null));

        using var ready = await _http.GetAsync(new Uri(serve.BaseUrl, "readyz"));
        using var chat = await _http.PostAsync(new Uri(serve.BaseUrl, "v1/chat/completions"),
            new StringContent("{\"model\":\"elena\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("LLM_CHAT_API_URL", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
        Assert.Equal("not_configured", (await ErrorOf(chat)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ApiKey_Configured_RequestsWithoutItGet401()
    {
        using var home = new TempDirectory();
        await using var serve = await ServeHost.StartAsync(TestConfig.Load(home.Path, _model.BaseUrl,
            new Dictionary<string, string> { ["server.api_key"] = "we-test-key" }));

        using var anonymous = await _http.GetAsync(new Uri(serve.BaseUrl, "v1/models"));
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.BaseUrl, "v1/models"));
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
        using var wrongResponse = await _http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.BaseUrl, "v1/models"));
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "we-test-key");
        using var rightResponse = await _http.SendAsync(right);
        using var health = await _http.GetAsync(new Uri(serve.BaseUrl, "healthz"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid_api_key", (await ErrorOf(anonymous)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void Build_BeyondLoopbackWithoutApiKey_RefusesNamingTheSetting()
    {
        using var home = new TempDirectory();
        var configuration = TestConfig.Load(home.Path, _model.BaseUrl, new Dictionary<string, string> { ["server.urls"] = "http://0.0.0.0:0" });

        var ex = Assert.Throws<ConfigurationException>(() => WhisperEngine.Api.ApiServer.Build(configuration));

        Assert.Contains("WHISPERENGINE_API_KEY", ex.Message, StringComparison.Ordinal);
    }
}
