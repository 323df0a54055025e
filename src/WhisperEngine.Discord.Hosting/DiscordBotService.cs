using Microsoft.Extensions.Hosting;
using WhisperEngine.Discord.Bot;

namespace WhisperEngine.Discord.Hosting;

/// <summary>
/// Runs one <see cref="DiscordBotRunner"/> for the host's lifetime. A fatal Discord error (a refused token, a missing
/// intent) is kept in <see cref="DiscordBotSet.Failures"/> and stops the application, without a stack trace.
/// </summary>
internal sealed class DiscordBotService(DiscordBotRunner runner, DiscordBotSet set, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(stoppingToken);
        }
        catch (DiscordException ex)
        {
            set.Failed(runner, ex);
            lifetime.StopApplication();
        }
    }
}
