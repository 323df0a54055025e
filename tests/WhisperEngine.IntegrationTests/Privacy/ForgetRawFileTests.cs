using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>
/// <c>memory forget</c> leaves nothing of the person in the data directory: their words and their id are searched for in
/// the raw bytes of every file (the database, its -wal and -shm), as UTF-8 and UTF-16. Someone else's data stays.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class ForgetRawFileTests(MiniLmFixture miniLm) : IAsyncLifetime
{
    private const string Forgotten = "zed-9q8w7e";
    private const string Kept = "kim-4r5t6y";
    private const string Secret = "My axolotl Quuxbertwhistle only eats zorbleberries from Vlindermoor.";
    private const string SecondSecret = "Quuxbertwhistle hides under the Brastovicz bridge on Sundays.";
    private const string KeptText = "I keep my bicycle Frambozenfiets in the Glimmerhaven shed.";

    // The words as FTS5 stores them too (lower case, porter stems), and the id and its distinctive part.
    private static readonly string[] Traces = [Secret, SecondSecret, "quuxbertwhist", "zorbleberr", "vlindermoor", "brastovicz", Forgotten, "9q8w7e"];

    private PrivacyHome _home = null!;

    public async Task InitializeAsync() => _home = await PrivacyHome.StartAsync(miniLm.Embedder);

    public async Task DisposeAsync() => await _home.DisposeAsync();

    [Fact]
    public async Task Forget_AfterConversationsMemoriesAndUsage_NoTraceInAnyFileAndOthersKept()
    {
        await _home.ChatAsync(Forgotten, "elena", Secret, "Do you remember my axolotl?");
        await _home.ChatAsync(Forgotten, "marcus", SecondSecret);
        await _home.ChatAsync(Kept, "elena", KeptText);
        await _home.RememberAsync(Forgotten, "elena", (Secret, PrivacyLevel.DirectMessage, "terminal"), (SecondSecret, PrivacyLevel.PublicChannel, "4001"));
        await _home.RememberAsync(Forgotten, "marcus", (SecondSecret, PrivacyLevel.DirectMessage, "terminal"));
        await _home.RememberAsync(Kept, "elena", (KeptText, PrivacyLevel.DirectMessage, "terminal"));
        var ledgerRows = _home.Scalar("SELECT COUNT(*) FROM usage_ledger");
        var ledgerCost = _home.Text("SELECT CAST(SUM(CAST(cost_usd AS REAL)) AS TEXT) FROM usage_ledger");
        Assert.Equal(4, ledgerRows);
        Assert.Equal(3, _home.Scalar($"SELECT COUNT(*) FROM usage_ledger WHERE user_id = '{Forgotten}'"));
        SqliteConnection.ClearAllPools();
        // The scan finds the person before: it would notice them after.
        var before = RawFileScanner.Find(_home.Path, Traces).Select(h => h.Needle).Distinct().ToList();
        Assert.Equal(Traces.Order(), before.Order());

        var forget = await _home.MemoryAsync(["forget", "--user", Forgotten, "--yes"]);

        Assert.True(forget.ExitCode == 0, forget.Output + forget.Error);
        Assert.Contains("messages", forget.Output, StringComparison.Ordinal);
        Assert.Contains("usage_ledger", forget.Output, StringComparison.Ordinal);
        Assert.Contains("VACUUM", forget.Output, StringComparison.Ordinal);
        var left = RawFileScanner.Find(_home.Path, Traces);
        Assert.True(left.Count == 0, "Found after forget: " + string.Join("; ", left));
        Assert.NotEmpty(RawFileScanner.Find(_home.Path, ["Frambozenfiets", Kept]));
        Assert.Equal(2, _home.Scalar($"SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.user_id = '{Kept}'"));
        Assert.Equal(1, _home.Scalar($"SELECT COUNT(*) FROM memories m JOIN memory_partitions p ON p.id = m.partition_id WHERE p.user_id = '{Kept}'"));
        Assert.Equal(0, _home.Scalar($"SELECT COUNT(*) FROM conversations WHERE user_id = '{Forgotten}'"));
        Assert.Equal(0, _home.Scalar($"SELECT COUNT(*) FROM memory_partitions WHERE user_id = '{Forgotten}'"));
        // The ledger keeps every row and the total cost; the person's rows carry one random pseudonym.
        Assert.Equal(ledgerRows, _home.Scalar("SELECT COUNT(*) FROM usage_ledger"));
        Assert.Equal(ledgerCost, _home.Text("SELECT CAST(SUM(CAST(cost_usd AS REAL)) AS TEXT) FROM usage_ledger"));
        Assert.Equal(3, _home.Scalar("SELECT COUNT(*) FROM usage_ledger WHERE user_id LIKE 'erased-%'"));
        Assert.Equal(1, _home.Scalar("SELECT COUNT(DISTINCT user_id) FROM usage_ledger WHERE user_id LIKE 'erased-%'"));
        Assert.Equal(1, _home.Scalar($"SELECT COUNT(*) FROM usage_ledger WHERE user_id = '{Kept}'"));
        var search = await _home.MemoryAsync(["search", "bicycle shed", "--user", Kept]);
        Assert.Contains("Frambozenfiets", search.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_WhileTheEngineRuns_NoTraceInDbWalOrShmAndTheNextTurnStartsFresh()
    {
        await _home.RememberAsync(Forgotten, "elena", (Secret, PrivacyLevel.DirectMessage, "terminal"));
        var key = new ConversationKey("default", "elena", Forgotten, "terminal");
        // A connection of this process stays open throughout (as a running engine's do; pooled ones may be cleared by
        // other tests), so the -wal and -shm files stay on disk and are scanned too.
        using var open = new SqliteConnection($"Data Source={_home.Database};Pooling=False");
        open.Open();
        using (var read = open.CreateCommand())
        {
            // SQLite maps the WAL index on a connection's first read, not at open.
            read.CommandText = "SELECT COUNT(*) FROM sqlite_master;";
            read.ExecuteScalar();
        }

        await using var engine = _home.Engine();
        await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, Secret));
        await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, SecondSecret));
        await engine.Pipeline.RunAsync(new TurnRequest(key with { UserId = Kept }, PrivacyLevel.DirectMessage, KeptText));
        // (Not scanned before the forget: closing any descriptor of a database file drops the SQLite locks this process holds on it.)
        Assert.True(new FileInfo(_home.Database + "-wal").Length > 0);

        // Another process forgets the person while this engine keeps its connections and caches.
        var forget = await _home.MemoryAsync(["forget", "--user", Forgotten, "--yes"]);

        Assert.True(forget.ExitCode == 0, forget.Output + forget.Error);
        Assert.True(File.Exists(_home.Database + "-wal") && File.Exists(_home.Database + "-shm"),
            "files: " + string.Join(", ", Directory.GetFiles(_home.Path).Select(Path.GetFileName)));
        Assert.Equal(0, new FileInfo(_home.Database + "-wal").Length);
        var left = RawFileScanner.Find(_home.Path, Traces);
        Assert.True(left.Count == 0, "Found after forget: " + string.Join("; ", left));
        Assert.NotEmpty(RawFileScanner.Find(_home.Path, ["Frambozenfiets"]));

        // The engine still had the conversation cached: the next turn starts it again, with no history.
        var next = await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "Hello again."));
        Assert.Equal("You said: Hello again.", next.Reply);
        Assert.Equal(["system", "user"], _home.Model.Requests[^1].Messages.Select(m => m.Role));
        var again = await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "And again."));
        Assert.Equal(["system", "user", "assistant", "user"], _home.Model.Requests[^1].Messages.Select(m => m.Role));
        Assert.Equal("Hello again.", _home.Model.Requests[^1].Messages[1].Content);
        Assert.NotEqual(0, again.ReplyMessageId);
    }
}
