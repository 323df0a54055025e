using System.Text.Json;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Core.Privacy;

namespace WhisperEngine.Memory.UserData;

/// <summary>
/// The relationship counters' part in exporting and erasing a person's data (section <c>relationships</c>): one entry
/// per bot the person has talked with, for any backend with an <see cref="IRelationshipStore"/> and an
/// <see cref="IMemoryCatalog"/> (the counters belong to a memory partition).
/// </summary>
/// <remarks>A backend registers it before <see cref="MemoryUserData"/>, whose partition delete would take the counters along uncounted.</remarks>
public sealed class RelationshipUserData(IMemoryCatalog catalog, IRelationshipStore store) : IUserDataParticipant
{
    /// <inheritdoc />
    public string Name => "relationships";

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        var count = 0L;
        foreach (var partition in await PartitionsAsync(scope, cancellationToken))
        {
            count += await store.GetAsync(partition, cancellationToken) is null ? 0 : 1;
        }

        return [new("relationships", count, UserDataAction.Deleted)];
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var partition in await PartitionsAsync(scope, cancellationToken))
        {
            if (await store.GetAsync(partition, cancellationToken) is { } stats)
            {
                JsonSerializer.Serialize(writer, new ExportedRelationship
                {
                    Bot = partition.BotId,
                    Level = RelationshipRules.Name(stats.Level),
                    Exchanges = stats.Exchanges,
                    TotalExchanges = stats.TotalExchanges,
                    Days = stats.Days,
                    FirstAt = stats.FirstAt,
                    LastAt = stats.LastAt,
                }, RelationshipJsonContext.Default.ExportedRelationship);
            }
        }

        writer.WriteEndArray();
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        var deleted = 0L;
        foreach (var partition in await PartitionsAsync(scope, cancellationToken))
        {
            deleted += await store.DeleteAsync(partition, cancellationToken) ? 1 : 0;
        }

        return [new("relationships", deleted, UserDataAction.Deleted)];
    }

    private async ValueTask<IReadOnlyList<MemoryPartition>> PartitionsAsync(UserDataScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return await catalog.ListPartitionsAsync(scope.TenantId, scope.BotId, scope.UserId, cancellationToken);
    }
}
