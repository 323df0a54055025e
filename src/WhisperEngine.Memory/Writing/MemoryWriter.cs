using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Context;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Writing;

/// <summary>
/// The one write path of long-term memory: embeds a memory, counts its prompt tokens, stores it with its vector
/// (tagged with model and dimension) and keeps the loaded vector index in step. Also re-embeds memories after a
/// change of model, and forgets a partition.
/// </summary>
/// <remarks>Thread-safe. Cancellation before the store call leaves nothing behind; after it, the memory is stored.</remarks>
public sealed class MemoryWriter
{
    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly ITokenCounter _tokens;
    private readonly VectorIndexRegistry _indexes;
    private readonly MemoryOptions _options;
    private readonly ILogger _logger;
    private readonly Facts.IFactStore? _facts;
    private readonly Keywords.KeywordIndexRegistry? _keywords;

    public MemoryWriter(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> embedder, ITokenCounter tokens,
        VectorIndexRegistry indexes, MemoryOptions options, ILogger<MemoryWriter> logger, Facts.IFactStore? facts = null,
        Keywords.KeywordIndexRegistry? keywords = null)
    {
        _facts = facts;
        _keywords = keywords;
        _store = store;
        _embedder = embedder;
        _tokens = tokens;
        _indexes = indexes;
        _options = options;
        _logger = logger;
        Model = embedder.ModelId();
    }

    private const float NeutralImportance = 0.5f;

    /// <summary>The model and dimension new vectors are made with.</summary>
    public EmbeddingModelId Model { get; }

    /// <summary>Stores a memory; durable and searchable (dense and keyword) when the task completes.</summary>
    public async ValueTask<MemoryRecord> WriteAsync(NewMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return (await WriteManyAsync([memory], cancellationToken))[0];
    }

    /// <summary>
    /// Stores many memories (an import, a benchmark's fill): embedded in batches (texts of similar length together),
    /// stored in one transaction; all durable and searchable when the task completes.
    /// </summary>
    public async ValueTask<IReadOnlyList<MemoryRecord>> WriteManyAsync(IReadOnlyList<NewMemory> memories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memories);
        if (memories.Count == 0)
        {
            return [];
        }

        var keepContext = _options.KeywordContext || _options.ContextVectorWeight != 0;
        var prepared = new NewMemory[memories.Count];
        for (var i = 0; i < memories.Count; i++)
        {
            var memory = memories[i] ?? throw new ArgumentException($"Memory {i} is null.", nameof(memories));
            if (!keepContext)
            {
                memory = memory with { Context = null };
            }

            if (!_options.KeywordReply && memory.InReplyTo is not null)
            {
                memory = memory with { InReplyTo = null };
            }

            if (_options.EstimateImportance && memory.Importance == NeutralImportance)
            {
                memory = memory with { Importance = ImportanceEstimator.Estimate(memory.Text) };
            }

            prepared[i] = memory;
        }

        var vectors = await EmbedMemoriesAsync(prepared.Select(m => (m.Speaker, m.Text, m.Context, m.Vector)).ToList(), cancellationToken);
        var batch = new (NewMemory Memory, int TokenCount, StoredEmbedding? Embedding)[prepared.Length];
        for (var i = 0; i < prepared.Length; i++)
        {
            batch[i] = (prepared[i], _tokens.CountTokens(MemoryFormatter.Render(prepared[i])), new StoredEmbedding(Model.Model, vectors[i]));
        }

        var records = await _store.AddManyAsync(batch, CancellationToken.None);
        if (_keywords is not null)
        {
            await _keywords.OnStoredAsync(records, prepared.Select(m => m.InReplyTo).OfType<long>().ToList(), CancellationToken.None);
        }

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            await _indexes.OnStoredAsync(record.Partition, Model, Entry(record, vectors[i]), CancellationToken.None);
            if (_logger.IsEnabled(LogLevel.Trace))
            {
                MemoryLog.Stored(_logger, record.Id, record.Partition.ToString(), record.Text);
            }
        }

        return records;
    }

    /// <summary>
    /// Gives every memory of a partition that has no vector of <see cref="Model"/> (written with another model, or
    /// never embedded) a new one, in batches; returns how many were re-embedded. <paramref name="progress"/> hears the
    /// size of each batch once it is stored.
    /// </summary>
    public async ValueTask<int> ReembedAsync(MemoryPartition partition, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var batch = await _store.GetNeedingEmbeddingAsync(partition, Model, _options.ReembedBatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var vectors = await EmbedMemoriesAsync(batch.Select(r => (r.Speaker, r.Text, r.Context, (ReadOnlyMemory<float>?)null)).ToList(), cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                await _store.SetEmbeddingAsync(partition, batch[i].Id, new StoredEmbedding(Model.Model, vectors[i]), cancellationToken);
                await _indexes.OnStoredAsync(partition, Model, Entry(batch[i], vectors[i]), cancellationToken);
            }

            total += batch.Count;
            progress?.Report(batch.Count);
        }

        if (total > 0)
        {
            MemoryLog.Reembedded(_logger, total, partition.ToString(), Model.ToString());
        }

        return total;
    }

    /// <summary>
    /// Deletes every memory of a partition, from the store and the loaded indexes, and the facts kept about the person
    /// (with a fact store); returns how many memories.
    /// </summary>
    public async ValueTask<int> ForgetAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        if (_facts is not null)
        {
            await _facts.DeleteAllAsync(Facts.FactOwner.Of(partition), cancellationToken);
        }

        var count = await _store.DeletePartitionAsync(partition, cancellationToken);
        _indexes.Evict(partition);
        _keywords?.Evict(partition);
        MemoryLog.Forgotten(_logger, count, partition.ToString());
        return count;
    }

    /// <summary>
    /// One vector per memory: its own words (the vector it brings, else one embedded here: all that need one in one
    /// call), plus its context's vector at <see cref="MemoryOptions.ContextVectorWeight"/>.
    /// </summary>
    private async Task<ReadOnlyMemory<float>[]> EmbedMemoriesAsync(IReadOnlyList<(string Speaker, string Text, string? Context, ReadOnlyMemory<float>? Vector)> memories,
        CancellationToken cancellationToken)
    {
        var weight = _options.ContextVectorWeight;
        var result = new ReadOnlyMemory<float>[memories.Count];
        var texts = new List<string>(memories.Count);
        var embedded = new List<int>(memories.Count);
        for (var i = 0; i < memories.Count; i++)
        {
            if (memories[i].Vector is { } given)
            {
                if (given.Length != Model.Dimensions)
                {
                    throw new ArgumentException($"Memory {i} brings a vector of {given.Length} dimensions; the embedding model {Model.Model} makes {Model.Dimensions}.", nameof(memories));
                }

                result[i] = given;
            }
            else
            {
                embedded.Add(i);
                texts.Add(MemoryFormatter.EmbeddingText(memories[i].Speaker, memories[i].Text));
            }
        }

        var withContext = new List<int>();
        if (weight != 0)
        {
            for (var i = 0; i < memories.Count; i++)
            {
                if (!string.IsNullOrWhiteSpace(memories[i].Context))
                {
                    withContext.Add(i);
                    texts.Add(memories[i].Context!);
                }
            }
        }

        var vectors = texts.Count == 0 ? [] : await EmbedAsync(texts, cancellationToken);
        for (var j = 0; j < embedded.Count; j++)
        {
            result[embedded[j]] = vectors[j];
        }

        for (var j = 0; j < withContext.Count; j++)
        {
            var i = withContext[j];
            var mixed = result[i].ToArray();
            TensorPrimitives.MultiplyAdd(vectors[embedded.Count + j].Span, weight, mixed, mixed);
            TensorPrimitives.Divide(mixed, TensorPrimitives.Norm(mixed), mixed);
            result[i] = mixed;
        }

        return result;
    }

    /// <summary>
    /// The vectors of memories' own words (speaker and text, as a write embeds them), all in one call, for memories
    /// written later with <see cref="NewMemory.Vector"/> set: the costly part of a write done without holding anything.
    /// </summary>
    public async ValueTask<IReadOnlyList<ReadOnlyMemory<float>>> EmbedAsync(IReadOnlyList<(string Speaker, string Text)> memories,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memories);
        return await EmbedAsync(memories.Select(m => MemoryFormatter.EmbeddingText(m.Speaker, m.Text)).ToList(), cancellationToken);
    }

    private async Task<ReadOnlyMemory<float>[]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var embeddings = await _embedder.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {texts.Count} texts.");
        }

        var vectors = new ReadOnlyMemory<float>[embeddings.Count];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = embeddings[i].Vector;
            if (vectors[i].Length != Model.Dimensions)
            {
                throw new InvalidOperationException($"The embedding model {Model.Model} returned {vectors[i].Length} dimensions; it reports {Model.Dimensions}.");
            }
        }

        return vectors;
    }

    private static MemoryVectorEntry Entry(MemoryRecord record, ReadOnlyMemory<float> vector) =>
        new(record.Id, record.ChannelId, record.Privacy, vector);
}
