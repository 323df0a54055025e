using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// Whose facts: one person's with one bot (the same (tenant, bot, user) as a <see cref="MemoryPartition"/>), or a
/// bot's global facts (<see cref="UserId"/> null), which every conversation of that bot may use.
/// </summary>
/// <param name="TenantId">The tenant that owns the bot.</param>
/// <param name="BotId">The bot.</param>
/// <param name="UserId">The person; null for the bot's global facts.</param>
public sealed record FactOwner(string TenantId, string BotId, string? UserId)
{
    /// <summary>The facts a bot keeps about one person.</summary>
    public static FactOwner Of(MemoryPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return new FactOwner(partition.TenantId, partition.BotId, partition.UserId);
    }

    /// <summary>A bot's global facts.</summary>
    public static FactOwner Global(string tenantId, string botId) => new(tenantId, botId, null);

    /// <summary>True for a bot's global facts.</summary>
    public bool IsGlobal => UserId is null;

    /// <inheritdoc />
    public override string ToString() => IsGlobal ? $"{TenantId}/{BotId}/(global)" : $"{TenantId}/{BotId}/{UserId}";
}
