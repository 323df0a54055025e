using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary><c>whisperengine memory list|search|export|forget|reembed</c>, the real program on a home with people's data.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class MemoryCommandTests(MiniLmFixture miniLm) : IAsyncLifetime
{
    private PrivacyHome _home = null!;

    public async Task InitializeAsync() => _home = await PrivacyHome.StartAsync(miniLm.Embedder);

    public async Task DisposeAsync() => await _home.DisposeAsync();

    private async Task SeedAsync()
    {
        await _home.ChatAsync("ann", "elena", "Our golden retriever Biscuit loves the beach.");
        await _home.ChatAsync("bob", "elena", "My cactus Spikeward needs water.");
        await _home.RememberAsync("ann", "elena",
            ("I started learning the cello last spring.", PrivacyLevel.DirectMessage, "terminal"),
            ("Our golden retriever Biscuit loves the beach.", PrivacyLevel.DirectMessage, "terminal"),
            ("My sister lives in Lisbon.", PrivacyLevel.PublicChannel, "4001"));
        await _home.RememberAsync("ann", "marcus", ("I run the Rotterdam marathon every April.", PrivacyLevel.DirectMessage, "terminal"));
        await _home.RememberAsync("bob", "elena", ("My cactus Spikeward needs water.", PrivacyLevel.DirectMessage, "terminal"));
    }

    [Fact]
    public async Task List_KnownUser_ShowsTheirMemoriesNewestFirstAndNobodyElses()
    {
        await SeedAsync();

        var all = await _home.MemoryAsync(["list", "--user", "ann"]);
        var newest = await _home.MemoryAsync(["list", "--user", "ann", "--bot", "elena", "--limit", "1"]);

        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        Assert.Contains("cello", all.Output, StringComparison.Ordinal);
        Assert.Contains("Lisbon", all.Output, StringComparison.Ordinal);
        Assert.Contains("Rotterdam", all.Output, StringComparison.Ordinal);
        Assert.Contains("public 4001", all.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Spikeward", all.Output, StringComparison.Ordinal);
        Assert.Equal(0, newest.ExitCode);
        Assert.Contains("Lisbon", newest.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cello", newest.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Rotterdam", newest.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Question_FindsTheMemoryThroughTheBotsRetrieval()
    {
        await SeedAsync();

        var result = await _home.MemoryAsync(["search", "what is the name of the dog", "--user", "ann", "--bot", "elena", "--limit", "2"]);
        var everyBot = await _home.MemoryAsync(["search", "marathon in April", "--user", "ann"]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        // The first ranked row (up to the second) holds the memory about the dog.
        var lines = result.Output.Split('\n');
        var first = Array.FindIndex(lines, l => Row(l, 1));
        var second = Array.FindIndex(lines, l => Row(l, 2));
        Assert.True(first >= 0 && second > first, result.Output);
        Assert.Contains("Biscuit", string.Join("\n", lines[first..second]), StringComparison.Ordinal);
        Assert.DoesNotContain("Spikeward", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Rotterdam", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, everyBot.ExitCode);
        Assert.Contains("Rotterdam", everyBot.Output, StringComparison.Ordinal);
        Assert.Contains("marcus", everyBot.Output, StringComparison.Ordinal);

        static bool Row(string line, int rank) =>
            line.Contains($"│ elena │ {rank} │", StringComparison.Ordinal) || line.Contains($"| elena | {rank} |", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ToFileAndToStdout_WritesTheDocumentedJsonOfThatPersonOnly()
    {
        await SeedAsync();
        var file = Path.Combine(_home.Path, "ann.json");

        var toFile = await _home.MemoryAsync(["export", "--user", "ann", "--out", file]);
        var toStdout = await _home.MemoryAsync(["export", "--user", "ann", "--bot", "marcus"]);

        Assert.True(toFile.ExitCode == 0, toFile.Output + toFile.Error);
        Assert.Contains(file, toFile.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = json.RootElement;
        Assert.Equal("whisperengine.user-data", root.GetProperty("format").GetString());
        Assert.Equal(["format", "version", "exported_at", "tenant", "user", "bot", "conversations", "usage", "relationships", "memories", "facts"],
            root.EnumerateObject().Select(p => p.Name));
        var memories = root.GetProperty("memories").EnumerateArray().ToList();
        // 4 remembered, and 2 written by the chat (the message and its reply).
        Assert.Equal(6, memories.Count);
        var lisbon = memories.Single(m => m.GetProperty("text").GetString() == "My sister lives in Lisbon.");
        Assert.Equal("public_channel", lisbon.GetProperty("privacy").GetString());
        Assert.Equal("4001", lisbon.GetProperty("channel").GetString());
        Assert.Equal("elena", lisbon.GetProperty("bot").GetString());
        Assert.Equal(MiniLmEmbeddingGenerator.Float32ModelId, lisbon.GetProperty("embedding_model").GetString());
        Assert.Equal("What is new with you?", lisbon.GetProperty("context").GetString());
        var conversation = Assert.Single(root.GetProperty("conversations").EnumerateArray());
        Assert.Equal("Our golden retriever Biscuit loves the beach.", conversation.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Single(root.GetProperty("usage").EnumerateArray());
        Assert.DoesNotContain("Spikeward", File.ReadAllText(file), StringComparison.Ordinal);

        Assert.True(toStdout.ExitCode == 0, toStdout.Error);
        using var marcus = JsonDocument.Parse(toStdout.Output);
        Assert.Equal("marcus", marcus.RootElement.GetProperty("bot").GetString());
        Assert.Equal("I run the Rotterdam marathon every April.", Assert.Single(marcus.RootElement.GetProperty("memories").EnumerateArray()).GetProperty("text").GetString());
        Assert.Empty(marcus.RootElement.GetProperty("conversations").EnumerateArray());
    }

    [Fact]
    public async Task Forget_NotConfirmedThenConfirmed_DeletesOnlyAfterYes()
    {
        await SeedAsync();

        var refused = await _home.MemoryAsync(["forget", "--user", "ann", "--bot", "elena"], input: "no\n");
        var stillThere = await _home.MemoryAsync(["list", "--user", "ann", "--bot", "elena"]);
        var confirmed = await _home.MemoryAsync(["forget", "--user", "ann", "--bot", "elena"], input: "yes\n");
        var gone = await _home.MemoryAsync(["list", "--user", "ann", "--bot", "elena"]);
        var otherBot = await _home.MemoryAsync(["list", "--user", "ann"]);

        Assert.Equal(7, refused.ExitCode);
        Assert.Contains("nothing was deleted", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Type yes to confirm", refused.Output, StringComparison.Ordinal);
        Assert.Contains("cello", stillThere.Output, StringComparison.Ordinal);
        Assert.True(confirmed.ExitCode == 0, confirmed.Output + confirmed.Error);
        Assert.Contains("deleted", confirmed.Output, StringComparison.Ordinal);
        Assert.Contains("anonymised", confirmed.Output, StringComparison.Ordinal);
        Assert.Equal(6, gone.ExitCode);
        Assert.Contains("Nothing is kept about user 'ann' in tenant 'default' by bot 'elena'; bots that keep something: marcus", gone.Error.ReplaceLineEndings(" "),
            StringComparison.Ordinal);
        Assert.Contains("Rotterdam", otherBot.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cello", otherBot.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_UnknownUserBotOrHome_SayWhatIsMissing()
    {
        var noData = await _home.MemoryAsync(["list", "--user", "ann"]);
        await SeedAsync();
        var unknownUser = await _home.MemoryAsync(["search", "dog", "--user", "nobody"]);
        var unknownBot = await _home.MemoryAsync(["forget", "--user", "ann", "--bot", "no-such-bot", "--yes"]);
        var both = await _home.MemoryAsync(["forget", "--user", "ann", "--bot", "elena", "--all-bots", "--yes"]);

        Assert.Equal(6, noData.ExitCode);
        Assert.Contains("No data here", noData.Error, StringComparison.Ordinal);
        Assert.Equal(6, unknownUser.ExitCode);
        Assert.Contains("Nothing is kept about user 'nobody'", unknownUser.Error, StringComparison.Ordinal);
        Assert.Equal(6, unknownBot.ExitCode);
        Assert.Contains("There is no bot 'no-such-bot'", unknownBot.Error, StringComparison.Ordinal);
        Assert.Contains("elena", unknownBot.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("--all-bots and --bot exclude each other", both.Error + both.Output, StringComparison.Ordinal);
        // 5 remembered, and 4 written by the two chats (each message and its reply).
        Assert.Equal(9, _home.Scalar("SELECT COUNT(*) FROM memories"));
        foreach (var result in new[] { noData, unknownUser, unknownBot })
        {
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reembed_AfterAModelChange_EngineNamesTheCommandAndItReembeds()
    {
        // Memories written with another embedding model (8 dimensions), as an older install would have them.
        using (var db = new SqliteDatabase(new SqliteStoreOptions { Path = _home.Database }))
        {
            db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
            var store = new SqliteMemoryStore(db, TimeProvider.System);
            var old = new StoredEmbedding("old-embedder/v1", new float[] { 1, 0, 0, 0, 0, 0, 0, 0 });
            foreach (var text in new[] { "I keep bees on the roof.", "My bees make lavender honey.", "The hive is painted blue." })
            {
                await store.AddAsync(new NewMemory(new MemoryPartition("default", "elena", "ann"), "terminal", PrivacyLevel.DirectMessage, "ann", text,
                    DateTimeOffset.UtcNow), 8, old);
            }
        }

        SqliteConnection.ClearAllPools();
        var warning = await ServeWarningAsync();
        var reembed = await _home.MemoryAsync(["reembed"]);
        var again = await _home.MemoryAsync(["reembed", "--bot", "elena"]);

        Assert.Contains("Embedding model change detected: 3 memories", warning, StringComparison.Ordinal);
        Assert.Contains("old-embedder/v1 (8d): 3", warning, StringComparison.Ordinal);
        Assert.Contains("whisperengine memory reembed", warning, StringComparison.Ordinal);
        Assert.True(reembed.ExitCode == 0, reembed.Output + reembed.Error);
        Assert.Contains("Re-embedded 3 memories in 1 partitions with sentence-transformers/all-MiniLM-L6-v2 (384d)", reembed.Output, StringComparison.Ordinal);
        Assert.Equal(3, _home.Scalar("SELECT COUNT(*) FROM memories WHERE embedding_model = 'sentence-transformers/all-MiniLM-L6-v2' AND embedding_dims = 384"));
        Assert.Contains("nothing to re-embed", again.Output, StringComparison.Ordinal);
    }

    /// <summary>Starts the real <c>serve</c> on the home and returns its standard error once the model-change warning is in it.</summary>
    private async Task<string> ServeWarningAsync()
    {
        using var process = Process.Start(CliRunner.StartInfo(["serve", .. _home.Common(), "--urls", "http://127.0.0.1:0"], _home.ModelEnvironment()))!;
        _ = process.StandardOutput.ReadToEndAsync();
        var error = new System.Text.StringBuilder();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                error.AppendLine(line);
                if (line.Contains("memory reembed", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return error.ToString();
    }
}
