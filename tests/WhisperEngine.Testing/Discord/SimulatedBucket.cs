namespace WhisperEngine.Testing.Discord;

/// <summary>The simulator's view of one rate-limit bucket (route hash and major parameter).</summary>
internal sealed class SimulatedBucket
{
    public int Remaining { get; set; }

    public DateTimeOffset ResetAt { get; set; }

    /// <summary>Set by a 429: nothing is allowed before this.</summary>
    public DateTimeOffset BlockedUntil { get; set; }
}
