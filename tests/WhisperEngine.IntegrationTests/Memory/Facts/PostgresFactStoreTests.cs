using Npgsql;
using WhisperEngine.IntegrationTests.Conformance.Backends;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>The fact store conformance suite on the real PostgreSQL server, plus the schema's own guard and a second process.</summary>
public sealed class PostgresFactStoreTests : FactStoreConformance
{
    private PostgresMemoryBackend? _backend;

    protected override Task<IFactStore> CreateStoreAsync()
    {
        _backend = new PostgresMemoryBackend();
        return Task.FromResult(_backend.Facts);
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task Schema_SecondActiveValueForAKey_RefusedByTheDatabase()
    {
        await Store.AddAsync(Ann, Fact("lives_in", "London"));
        await using var connection = new NpgsqlConnection(TestServers.Postgres + $";Search Path={_backend!.Schema}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at)
            VALUES ('default', 'elena', 'ann', 0, 'lives_in', 'Paris', 0.9, 'test', 0, 'dm', 0, 0);
            """, connection);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
    }

    [Fact]
    public async Task TwoProcesses_ConcurrentValuesForOneKey_ExactlyOneActive()
    {
        await using var other = _backend!.Reopen();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? Store : other.Facts).AddAsync(Ann, Fact("mood.song", "song " + i)))));

        Assert.Single(await other.Facts.GetActiveAsync(Ann));
        Assert.Equal(12, (await Store.GetAllAsync(Ann)).Count);
    }
}
