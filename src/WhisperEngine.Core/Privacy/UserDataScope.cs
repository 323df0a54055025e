namespace WhisperEngine.Core.Privacy;

/// <summary>
/// Whose data an export or an erasure covers: one person in one tenant, with every bot of the tenant
/// (<see cref="BotId"/> null) or with one bot.
/// </summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="UserId">The person (the user id every store keys its rows by).</param>
/// <param name="BotId">One bot, or null for all bots of the tenant.</param>
public sealed record UserDataScope(string TenantId, string UserId, string? BotId = null)
{
    /// <summary>True when the scope covers every bot of the tenant.</summary>
    public bool AllBots => BotId is null;

    /// <summary>True when data kept by <paramref name="botId"/> is in the scope.</summary>
    public bool Includes(string botId) => BotId is null || string.Equals(BotId, botId, StringComparison.Ordinal);

    /// <summary>Throws an <see cref="ArgumentException"/> when a part is empty.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TenantId))
        {
            throw new ArgumentException("The tenant id is empty.", nameof(TenantId));
        }

        if (string.IsNullOrWhiteSpace(UserId))
        {
            throw new ArgumentException("The user id is empty.", nameof(UserId));
        }

        if (BotId is not null && string.IsNullOrWhiteSpace(BotId))
        {
            throw new ArgumentException("The bot id is empty; leave it out for all bots.", nameof(BotId));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{BotId ?? "*"}/{UserId}";
}
