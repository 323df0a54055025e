using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>
/// What erasure leaves in PostgreSQL's files, on a cluster of this test's own: the deleted rows stay in the table files
/// as dead tuples (and in the WAL) until the tables are rewritten; after the operator's <c>VACUUM FULL</c> the table and
/// index files hold nothing of the person (docs/memory.md, "PostgreSQL").
/// </summary>
public sealed class PostgresRawFileTests : IAsyncLifetime
{
    private const string Forgotten = "zed-pg-5h6j7k";
    private const string Secret = "My tortoise Plinkerbosch sleeps in the Quenderwald greenhouse.";
    private static readonly string[] Traces = [Secret, "Plinkerbosch", "Quenderwald", Forgotten];

    private readonly TempDirectory _home = new();
    private readonly string _schema = TestServers.NewSchema();
    private PrivatePostgres _postgres = null!;
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        _postgres = new PrivatePostgres();
        _model = await FakeOpenAiServer.StartAsync();
        _model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}");
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _postgres.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Erase_OnPostgres_RowsGoneButBytesStayUntilVacuumFullThenTableFilesClean()
    {
        await using (var engine = new EngineHost(TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["tier"] = "multi-bot",
            ["storage.postgres.connection_string"] = _postgres.ConnectionString,
            ["storage.postgres.schema"] = _schema,
        })))
        {
            await engine.Pipeline.RunAsync(new TurnRequest(new ConversationKey("default", "elena", Forgotten, "dm"), PrivacyLevel.DirectMessage, Secret));
            await engine.Pipeline.RunAsync(new TurnRequest(new ConversationKey("default", "elena", "kim", "dm"), PrivacyLevel.DirectMessage, "Frambozenfiets"));
            var report = await engine.Get<UserDataService>().EraseAsync(new UserDataScope("default", Forgotten));
            Assert.Equal(2, report.RowsOf("conversations", "messages"));
        }

        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CHECKPOINT;");
        var files = await RelationFilesAsync(connection);
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"{_schema}\".messages m JOIN \"{_schema}\".conversations c ON c.id = m.conversation_id WHERE c.user_id = '{Forgotten}'"));
        // Deleted is not gone: the dead tuples are still in the table files, and the inserts in the WAL.
        Assert.Contains(Scan(files), h => h.Needle == Secret);
        Assert.Contains(RawFileScanner.Find(Path.Combine(_postgres.DataDirectory, "pg_wal"), [Secret]), h => h.Needle == Secret);

        // Every table of the schema: the engine's (messages, conversations, usage_ledger) and memory's (memories, facts, ...).
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand($"SELECT tablename FROM pg_tables WHERE schemaname = '{_schema}' ORDER BY tablename;", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add($"\"{_schema}\".\"{reader.GetString(0)}\"");
            }
        }

        Assert.Contains($"\"{_schema}\".\"memories\"", tables);
        await ExecuteAsync(connection, $"VACUUM (FULL) {string.Join(", ", tables)};");
        await ExecuteAsync(connection, "CHECKPOINT;");

        var rewritten = await RelationFilesAsync(connection);
        var left = Scan(rewritten);
        Assert.True(left.Count == 0, "Found after VACUUM FULL: " + string.Join("; ", left));
        Assert.NotEmpty(ScanFor(rewritten, "Frambozenfiets"));
    }

    private static List<RawFileScanner.Hit> Scan(IReadOnlyList<string> files) => ScanFor(files, Traces);

    private static List<RawFileScanner.Hit> ScanFor(IReadOnlyList<string> files, params string[] needles) =>
        [.. files.Where(File.Exists).SelectMany(f => RawFileScanner.FindInFile(f, needles))];

    /// <summary>The files of every table, index and TOAST relation of the test's schema.</summary>
    private async Task<IReadOnlyList<string>> RelationFilesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT pg_relation_filepath(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND pg_relation_filepath(c.oid) IS NOT NULL
            UNION
            SELECT pg_relation_filepath(t.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class t ON t.oid = c.reltoastrelid WHERE n.nspname = $1
            UNION
            SELECT pg_relation_filepath(i.indexrelid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_index i ON i.indrelid = c.reltoastrelid WHERE n.nspname = $1;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema });
        var files = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            files.Add(Path.Combine(_postgres.DataDirectory, reader.GetString(0)));
        }

        return files;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
