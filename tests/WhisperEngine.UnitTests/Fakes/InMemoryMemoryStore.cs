using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>
/// Memories in a list. Keyword search scores by shared words and, unlike a real store, ignores the privacy scope when
/// <see cref="IgnoreScopeInKeywordSearch"/> is set, to show that the retriever checks the scope itself.
/// </summary>
public sealed class InMemoryMemoryStore : IMemoryStore
{
    private readonly List<(MemoryRecord Record, StoredEmbedding? Embedding)> _memories = [];
    private long _nextId = 1;

    public bool IgnoreScopeInKeywordSearch { get; set; }

    public ValueTask<MemoryRecord> AddAsync(NewMemory memory, int tokenCount, StoredEmbedding? embedding, CancellationToken cancellationToken = default)
    {
        var record = new MemoryRecord
        {
            Id = _nextId++,
            Partition = memory.Partition,
            ChannelId = memory.ChannelId,
            Privacy = memory.Privacy,
            Speaker = memory.Speaker,
            Text = memory.Text,
            Context = memory.Context,
            OccurredAt = memory.OccurredAt,
            CreatedAt = memory.OccurredAt,
            Importance = memory.Importance,
            TokenCount = tokenCount,
            EmbeddingModel = embedding?.Model,
            EmbeddingDimensions = embedding?.Dimensions,
        };
        _memories.Add((record, embedding));
        return ValueTask.FromResult(record);
    }

    public ValueTask<IReadOnlyList<MemoryRecord>> GetAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<MemoryRecord>>(_memories.Select(m => m.Record).Where(r => r.Partition == partition && ids.Contains(r.Id)).ToList());

    public ValueTask<IReadOnlyList<MemoryVectorEntry>> GetVectorsAsync(MemoryPartition partition, EmbeddingModelId model, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<MemoryVectorEntry>>(_memories
            .Where(m => m.Record.Partition == partition && m.Embedding?.Model == model.Model && m.Embedding.Dimensions == model.Dimensions)
            .Select(m => new MemoryVectorEntry(m.Record.Id, m.Record.ChannelId, m.Record.Privacy, m.Embedding!.Vector))
            .ToList());

    public ValueTask<IReadOnlyList<KeywordHit>> KeywordSearchAsync(RecallScope scope, string query, int limit, CancellationToken cancellationToken = default)
    {
        var terms = KeywordTerms.Extract(query);
        return ValueTask.FromResult<IReadOnlyList<KeywordHit>>(_memories
            .Select(m => m.Record)
            .Where(r => r.Partition == scope.Partition && (IgnoreScopeInKeywordSearch || scope.Allows(r.Privacy, r.ChannelId)))
            .Select(r => new KeywordHit(r.Id, KeywordTerms.Extract(r.Text).Count(terms.Contains)))
            .Where(h => h.Score > 0)
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Id)
            .Take(limit)
            .ToList());
    }

    public ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(MemoryPartition partition, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<EmbeddingInventory>>(_memories
            .Where(m => m.Record.Partition == partition)
            .GroupBy(m => m.Embedding is null ? null : new EmbeddingModelId(m.Embedding.Model, m.Embedding.Dimensions))
            .Select(g => new EmbeddingInventory(g.Key, g.Count()))
            .ToList());

    public ValueTask<IReadOnlyList<MemoryRecord>> GetNeedingEmbeddingAsync(MemoryPartition partition, EmbeddingModelId model, int limit, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<MemoryRecord>>(_memories
            .Where(m => m.Record.Partition == partition && (m.Embedding is null || m.Embedding.Model != model.Model || m.Embedding.Dimensions != model.Dimensions))
            .Select(m => m.Record)
            .Take(limit)
            .ToList());

    public ValueTask SetEmbeddingAsync(MemoryPartition partition, long id, StoredEmbedding embedding, CancellationToken cancellationToken = default)
    {
        var i = _memories.FindIndex(m => m.Record.Id == id && m.Record.Partition == partition);
        _memories[i] = (_memories[i].Record with { EmbeddingModel = embedding.Model, EmbeddingDimensions = embedding.Dimensions }, embedding);
        return ValueTask.CompletedTask;
    }

    public ValueTask RecordAccessAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _memories.Count; i++)
        {
            var (record, embedding) = _memories[i];
            if (record.Partition == partition && ids.Contains(record.Id))
            {
                _memories[i] = (record with { AccessCount = record.AccessCount + 1, LastAccessedAt = at }, embedding);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> DeletePartitionAsync(MemoryPartition partition, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_memories.RemoveAll(m => m.Record.Partition == partition));

    public ValueTask<long> CountAsync(MemoryPartition partition, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult((long)_memories.Count(m => m.Record.Partition == partition));
}
