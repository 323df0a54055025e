using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Discord.Hosting;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine run</c>: every configured bot on Discord, each on its own gateway connection.</summary>
internal static class RunCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("run", "Run the bots on Discord: with DISCORD_BOT_TOKEN set, the default character; with bots[].discord_token in the config file, every one of them.");
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var configuration = ConfigurationLoader.Load(global.Request(result));
            var settings = configuration.Values;
            var bots = settings.DiscordBots();
            var missingModel = settings.Bots.Count == 0 ? settings.MissingForChat() : [];
            if (bots.Count == 0 || missingModel.Count > 0)
            {
                CliApp.Error("Not ready to run on Discord. Set:");
                if (bots.Count == 0)
                {
                    Console.Error.WriteLine($"  DISCORD_BOT_TOKEN  the bot's token (Developer Portal > your application > Bot > Reset Token); it speaks as {settings.DefaultCharacter}");
                    Console.Error.WriteLine("                     (for several bots: bots[].discord_token in the config file; see README, Discord)");
                }

                foreach (var line in missingModel)
                {
                    Console.Error.WriteLine("  " + line);
                }

                return ExitCodes.NotConfigured;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "whisperengine" });
            LoggingSetup.Configure(builder.Logging, settings, LogLevel.Information);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
            builder.Services.AddWhisperEngine(configuration);
            builder.Services.AddDiscordBots(settings);
            using var host = builder.Build();

            // Resolve characters and bots now so that a bad character file or bot stops the start with its message.
            var characters = host.Services.GetRequiredService<ICharacterCatalog>();
            _ = host.Services.GetRequiredService<Core.Bots.IBotDirectory>();
            var unknown = bots.Where(b => characters.Find(b.Bot.CharacterId) is null).ToList();
            if (unknown.Count > 0)
            {
                throw new ConfigurationException([.. unknown.Select(b => new ValidationProblem("characters.default", 0, 0, "characters.default",
                    $"bot '{b.Bot.Id}' speaks as '{b.Bot.CharacterId}', which is not a loaded character; known: {string.Join(", ", characters.All.Select(c => c.Id))}"))]);
            }

            var set = host.Services.GetRequiredService<DiscordBotSet>();
            await host.StartAsync(cancellationToken);
            Console.Out.WriteLine($"WhisperEngine {typeof(RunCommand).Assembly.GetName().Version?.ToString(3)} connecting {bots.Count} bot(s) to Discord " +
                $"({string.Join(", ", bots.Select(b => b.Bot.Id == b.Bot.CharacterId ? b.Bot.Id : $"{b.Bot.Id} as {b.Bot.CharacterId}"))}; tier {settings.Tier}, data in {settings.Home})");
            Console.Out.Flush();
            _ = ReportReadyAsync(set, cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);

            var failures = set.Failures;
            foreach (var (botId, error) in failures)
            {
                CliApp.Error($"Discord bot {botId} stopped: {error.Message}");
            }

            return failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task ReportReadyAsync(DiscordBotSet set, CancellationToken cancellationToken)
    {
        try
        {
            await set.WaitUntilReadyAsync(cancellationToken);
            foreach (var runner in set.Runners)
            {
                Console.Out.WriteLine($"Connected: {runner.BotId} is {runner.CurrentUser?.Username} ({runner.CurrentUser?.Id}) on Discord");
            }

            Console.Out.Flush();
        }
        catch (Exception ex) when (ex is Discord.DiscordException or OperationCanceledException)
        {
            // A fatal error is reported when the host stops.
        }
    }
}
