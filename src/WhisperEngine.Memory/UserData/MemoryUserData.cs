using System.Text.Json;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Privacy.Export;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.UserData;

/// <summary>
/// Long-term memory's part in exporting and erasing a person's data (section <c>memories</c>), for any backend with an
/// <see cref="IMemoryCatalog"/>: each of the person's partitions is deleted from the store and its loaded vector index
/// and in-memory keyword index
/// dropped (as <see cref="Writing.MemoryWriter.ForgetAsync"/> does, without loading the embedding model), then the keyword
/// index is purged of their words.
/// </summary>
/// <remarks>A backend registers it with its store (<c>AddSqliteMemoryStore</c>, <c>AddPostgresMemoryStore</c>).</remarks>
public sealed class MemoryUserData(IMemoryCatalog catalog, IMemoryStore store, VectorIndexRegistry indexes, Keywords.KeywordIndexRegistry? keywords = null)
    : IUserDataParticipant
{
    /// <inheritdoc />
    public string Name => "memories";

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        var partitions = await PartitionsAsync(scope, cancellationToken);
        long memories = 0;
        foreach (var partition in partitions)
        {
            memories += await store.CountAsync(partition, cancellationToken);
        }

        return [new("memories", memories, UserDataAction.Deleted), new("memory_partitions", partitions.Count, UserDataAction.Deleted)];
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var partition in await PartitionsAsync(scope, cancellationToken))
        {
            var records = await catalog.ListAsync(partition, int.MaxValue, cancellationToken);
            // Oldest first in the export, like the conversations.
            for (var i = records.Count - 1; i >= 0; i--)
            {
                JsonSerializer.Serialize(writer, ToExport(records[i]), MemoryJsonContext.Default.ExportedMemory);
            }
        }

        writer.WriteEndArray();
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        var partitions = await PartitionsAsync(scope, cancellationToken);
        long memories = 0;
        foreach (var partition in partitions)
        {
            memories += await store.DeletePartitionAsync(partition, cancellationToken);
            indexes.Evict(partition);
            keywords?.Evict(partition);
        }

        if (partitions.Count > 0)
        {
            await catalog.PurgeDeletedAsync(cancellationToken);
        }

        return [new("memories", memories, UserDataAction.Deleted), new("memory_partitions", partitions.Count, UserDataAction.Deleted)];
    }

    private async ValueTask<IReadOnlyList<MemoryPartition>> PartitionsAsync(UserDataScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return await catalog.ListPartitionsAsync(scope.TenantId, scope.BotId, scope.UserId, cancellationToken);
    }

    private static ExportedMemory ToExport(MemoryRecord r) => new()
    {
        Id = r.Id,
        Bot = r.Partition.BotId,
        Channel = r.ChannelId,
        Privacy = ExportNames.Of(r.Privacy),
        Speaker = r.Speaker,
        Text = r.Text,
        Context = r.Context,
        OccurredAt = r.OccurredAt,
        CreatedAt = r.CreatedAt,
        Importance = r.Importance,
        AccessCount = r.AccessCount,
        LastAccessedAt = r.LastAccessedAt,
        TokenCount = r.TokenCount,
        EmbeddingModel = r.EmbeddingModel,
        EmbeddingDimensions = r.EmbeddingDimensions,
    };
}
