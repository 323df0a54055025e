using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Hnsw;

/// <summary>
/// Creates <see cref="HnswVectorIndex"/>es: exact search while a partition is smaller than
/// <see cref="HnswOptions.MinimumPartitionSize"/>, an HNSW graph from then on.
/// </summary>
public sealed class HnswVectorIndexFactory : IVectorIndexFactory
{
    private readonly HnswOptions _options;
    private readonly ILogger<HnswVectorIndex> _logger;

    public HnswVectorIndexFactory(HnswOptions options, ILogger<HnswVectorIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger;
    }

    public IVectorIndex Create(MemoryPartition partition, int dimensions, int expectedCount) =>
        new HnswVectorIndex(dimensions, expectedCount, _options, _logger, partition.ToString());
}
