using System.Text;
using Microsoft.Data.Sqlite;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Cli;

/// <summary>kill -9 in the middle of a turn leaves a consistent database and loses no acknowledged message.</summary>
public sealed class CrashConsistencyTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private FakeOpenAiServer _model = null!;

    // A home that does not exist yet, as on a new user's first run.
    private string Home => Path.Combine(_home.Path, "home");

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _home.Dispose();
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["LLM_CHAT_API_URL"] = _model.BaseUrl.ToString(),
        ["LLM_CHAT_MODEL"] = "fake-model",
    };

    private static StringContent Body(string text, bool stream) => new(
        $"{{\"model\":\"elena\",\"user\":\"kim\",\"stream\":{(stream ? "true" : "false")},\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}]}}",
        Encoding.UTF8, "application/json");

    [Fact]
    public async Task Serve_KilledMidStream_DatabaseConsistentAndAcknowledgedMessagesKept()
    {
        using (var serve = await ServeProcess.StartAsync(Home, Environment()))
        {
            _model.Enqueue(FakeReply.Text("A complete first reply."));
            using (var first = await _http.PostAsync(new Uri(serve.BaseUrl, "v1/chat/completions"), Body("first message", stream: false)))
            {
                first.EnsureSuccessStatusCode();
            }

            _model.Enqueue(FakeReply.Text(string.Join(' ', Enumerable.Range(0, 200).Select(i => $"word{i}")), chunks: 200,
                interChunkDelay: TimeSpan.FromMilliseconds(50)));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(serve.BaseUrl, "v1/chat/completions")) { Content = Body("second message", stream: true) };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            // The headers mean the message was accepted; wait for reply text to be mid-flight, then kill.
            var seen = 0;
            while (seen < 5 && await reader.ReadLineAsync() is { } line)
            {
                if (line.Contains("word", StringComparison.Ordinal))
                {
                    seen++;
                }
            }

            serve.KillHard();
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(Home, "whisperengine.db")};Pooling=False"))
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", (string)check.ExecuteScalar()!);
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT role, content FROM messages ORDER BY id;";
            using var rows = query.ExecuteReader();
            var messages = new List<(long Role, string Content)>();
            while (rows.Read())
            {
                messages.Add((rows.GetInt64(0), rows.GetString(1)));
            }

            Assert.Equal([(0L, "first message"), (1L, "A complete first reply."), (0L, "second message")], messages);
        }

        using (var restarted = await ServeProcess.StartAsync(Home, Environment()))
        {
            _model.Enqueue(FakeReply.Text("Welcome back."));
            using var third = await _http.PostAsync(new Uri(restarted.BaseUrl, "v1/chat/completions"), Body("third message", stream: false));
            third.EnsureSuccessStatusCode();
            var sent = _model.Requests[^1].Messages.Select(m => m.Content).ToList();
            Assert.Contains("first message", sent);
            Assert.Contains("A complete first reply.", sent);
            Assert.Contains(sent, m => m?.Contains("second message", StringComparison.Ordinal) == true && m.Contains("third message", StringComparison.Ordinal));
        }
    }
}
