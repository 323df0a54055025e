namespace WhisperEngine.Discord.Bot;

/// <summary>
/// Stops bot-to-bot loops: counts the bot messages answered in a row per channel and refuses once
/// <c>max</c> is reached, until a human speaks in that channel again.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class BotLoopGuard(int max)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _botRuns = new(StringComparer.Ordinal);

    public int Max => max;

    /// <summary>A human spoke in <paramref name="channelId"/>: bots may be answered again.</summary>
    public void HumanSpoke(string channelId)
    {
        lock (_lock)
        {
            _botRuns.Remove(channelId);
        }
    }

    /// <summary>Takes one bot exchange in <paramref name="channelId"/>; false when the run is used up.</summary>
    public bool TryAnswerBot(string channelId)
    {
        lock (_lock)
        {
            var run = _botRuns.GetValueOrDefault(channelId);
            if (run >= max)
            {
                return false;
            }

            _botRuns[channelId] = run + 1;
            return true;
        }
    }
}
