using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Api;

/// <summary><c>GET|DELETE /v1/users/{id}/data</c>: a person's data over the API, behind the API key.</summary>
public sealed class UserDataApiTests : IAsyncLifetime, IDisposable
{
    private const string Key = "we-admin-key";
    private readonly TempDirectory _home = new();
    private readonly HttpClient _http = new();
    private FakeOpenAiServer _model = null!;
    private ServeHost _serve = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}");
        _serve = await ServeHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string> { ["server.api_key"] = Key }));
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

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = Key, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_serve.BaseUrl, path));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    private async Task ChatAsync(string user, string text)
    {
        using var response = await SendAsync(HttpMethod.Post, "v1/chat/completions",
            body: $$"""{"model":"elena","user":"{{user}}","messages":[{"role":"user","content":"{{text}}"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UserData_ExportThenDelete_ReturnsTheDataThenErasesItBehindTheKey()
    {
        await ChatAsync("ann", "My parrot is called Kiwi.");
        await ChatAsync("bob", "I collect stamps.");

        using var anonymous = await SendAsync(HttpMethod.Delete, "v1/users/ann/data", key: null);
        using var export = await SendAsync(HttpMethod.Get, "v1/users/ann/data");
        using var delete = await SendAsync(HttpMethod.Delete, "v1/users/ann/data");
        using var again = await SendAsync(HttpMethod.Delete, "v1/users/ann/data");
        using var unknownBot = await SendAsync(HttpMethod.Get, "v1/users/bob/data?bot=nobot");
        using var bob = await SendAsync(HttpMethod.Get, "v1/users/bob/data?bot=elena");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using (var json = JsonDocument.Parse(await export.Content.ReadAsStringAsync()))
        {
            var messages = json.RootElement.GetProperty("conversations")[0].GetProperty("messages");
            Assert.Equal("My parrot is called Kiwi.", messages[0].GetProperty("content").GetString());
            Assert.Equal("api", json.RootElement.GetProperty("conversations")[0].GetProperty("channel").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        using (var json = JsonDocument.Parse(await delete.Content.ReadAsStringAsync()))
        {
            var tables = json.RootElement.GetProperty("tables").EnumerateArray().ToList();
            var messages = tables.Single(t => t.GetProperty("table").GetString() == "messages");
            Assert.Equal(2, messages.GetProperty("rows").GetInt64());
            Assert.Equal("deleted", messages.GetProperty("action").GetString());
            Assert.Equal("anonymised", tables.Single(t => t.GetProperty("table").GetString() == "usage_ledger").GetProperty("action").GetString());
            Assert.Equal("ann", json.RootElement.GetProperty("user").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("user_not_found", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownBot.StatusCode);
        Assert.Contains("bot_not_found", await unknownBot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Contains("I collect stamps.", await bob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
