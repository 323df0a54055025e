namespace WhisperEngine.Core.Turns;

/// <summary>
/// The warm-up turns serve runs before it reports ready (<c>server.warmup_turns</c>): real turns through the real turn
/// path, in a tenant of their own that no configuration may use. The model layer answers a call of that tenant itself,
/// without the provider (no request leaves the process, nothing is spent); the ledger, the budgets, the model health
/// and the turn metrics leave those calls out; and the warm-up erases its people when it is done.
/// </summary>
public static class WarmupTurns
{
    /// <summary>The tenant of warm-up conversations. A bot's <c>tenant</c> setting may not name it.</summary>
    public const string Tenant = "whisperengine.warmup";

    /// <summary>True for the warm-up tenant.</summary>
    public static bool IsWarmup(string? tenantId) => string.Equals(tenantId, Tenant, StringComparison.Ordinal);
}
