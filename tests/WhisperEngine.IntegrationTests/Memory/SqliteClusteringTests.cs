using Microsoft.Extensions.AI;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>Topic clustering on a real SQLite file.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class SqliteClusteringTests(MiniLmFixture miniLm) : ClusteringConformance(miniLm)
{
    private readonly TempDirectory _dir = new();

    protected override MemoryHarness Open(IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options) =>
        new(_dir.File("we.db"), embedder, options);

    protected override async Task<long> ClusterRowsAsync(MemoryHarness memory)
    {
        await using var connection = await memory.Database!.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM memory_clusters;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override Task CleanUpAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
