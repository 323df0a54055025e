using System.Collections.Concurrent;
using WhisperEngine.Discord.Bot;

namespace WhisperEngine.Discord.Hosting;

/// <summary>The Discord bots of this process, and the fatal errors that stopped any of them.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class DiscordBotSet(IReadOnlyList<DiscordBotRunner> runners)
{
    private readonly ConcurrentQueue<(string BotId, DiscordException Error)> _failures = new();

    public IReadOnlyList<DiscordBotRunner> Runners => runners;

    /// <summary>Bots that stopped on an error a retry cannot cure, with the error (its message says what to fix).</summary>
    public IReadOnlyList<(string BotId, DiscordException Error)> Failures => [.. _failures];

    /// <summary>Completes when every bot is connected; fails with the first fatal error.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(runners.Select(r => r.WaitUntilReadyAsync(cancellationToken)));

    internal void Failed(DiscordBotRunner runner, DiscordException error) => _failures.Enqueue((runner.BotId, error));
}
