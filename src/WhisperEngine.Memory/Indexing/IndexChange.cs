using System.Text.Json;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Indexing;

/// <summary>
/// What one process tells the others about a partition's vector indexes (<see cref="VectorIndexRegistry.PeerTopic"/>):
/// memories stored with their vectors (<see cref="Entries"/>), or the partition's memories removed (no entries).
/// </summary>
internal sealed record IndexChange(string Tenant, string Bot, string User, string? Model, int Dimensions, IReadOnlyList<IndexChangeEntry>? Entries)
{
    /// <summary>The partition the change is about.</summary>
    public MemoryPartition Partition => new(Tenant, Bot, User);

    /// <summary>Whether the partition's memories were removed (no stored entries to add).</summary>
    public bool IsErasure => Entries is null || Model is null;

    /// <summary>The erasure of <paramref name="partition"/>.</summary>
    public static IndexChange Erased(MemoryPartition partition) => new(partition.TenantId, partition.BotId, partition.UserId, null, 0, null);

    /// <summary>A peer message as a change; null (logged) when it is not one.</summary>
    public static IndexChange? Read(string message, ILogger logger)
    {
        try
        {
            return JsonSerializer.Deserialize(message, IndexChangeJsonContext.Default.IndexChange);
        }
        catch (JsonException ex)
        {
            MemoryLog.PeerSignalFailed(logger, ex);
            return null;
        }
    }

    /// <summary>The change as a peer message.</summary>
    public string Write() => JsonSerializer.Serialize(this, IndexChangeJsonContext.Default.IndexChange);
}
