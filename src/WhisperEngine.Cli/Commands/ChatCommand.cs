using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Turns;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine chat</c>: a streamed conversation in the terminal.</summary>
internal static class ChatCommand
{
    public static Command Create(GlobalOptions global)
    {
        var character = new Option<string?>("--character", "-c") { Description = "Bot or character id (default: the first bot, else characters.default)", HelpName = "id" };
        var user = new Option<string?>("--user", "-u") { Description = "Who you are; each user has their own history (default: your login name)", HelpName = "name" };
        var model = new Option<string?>("--model", "-m") { Description = "Model for this session (default: LLM_CHAT_MODEL)", HelpName = "id" };
        var command = new Command("chat", "Talk with a character in the terminal. Lines ending in \\ continue; \"\"\" starts and ends a multi-line block; /help lists commands.")
        {
            character,
            user,
            model,
        };
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var configuration = ConfigurationLoader.Load(global.Request(result));
            var settings = configuration.Values;
            var missing = settings.MissingForChat();
            if (missing.Count > 0)
            {
                PrintSetupHelp(missing, configuration.Home);
                return ExitCodes.NotConfigured;
            }

            Directory.CreateDirectory(settings.Home);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = settings.Home });
            LoggingSetup.Configure(builder.Logging, settings);
            // The session prints turn failures itself, briefly; the log repeats them only when debugging.
            builder.Logging.AddFilter("WhisperEngine.Core.Turns.TurnPipeline",
                settings.LogLevel <= LogLevel.Debug ? settings.LogLevel : LogLevel.Critical);
            builder.Services.AddWhisperEngine(configuration);
            using var host = builder.Build();
            var characters = host.Services.GetRequiredService<ICharacterCatalog>();
            var bots = host.Services.GetRequiredService<Core.Bots.IBotDirectory>();
            var botId = result.GetValue(character) ?? (settings.Bots.Count > 0 ? settings.Bots[0].Definition.Id : settings.DefaultCharacter);
            var bot = bots.Find(botId);
            var selected = bot is null ? null : characters.Find(bot.CharacterId);
            if (bot is null || selected is null)
            {
                CliApp.Error($"There is no bot or character '{botId}'. Known: {string.Join(", ", bots.All.Select(b => b.Id))}.");
                return ExitCodes.Failed;
            }

            var session = new ChatSession(
                host.Services.GetRequiredService<TurnPipeline>(),
                host.Services.GetRequiredService<Core.Storage.IConversationStore>(),
                selected,
                bot,
                result.GetValue(user) ?? DefaultUser(),
                result.GetValue(model) ?? bot.Model ?? settings.ChatModel!);
            // Hosted services: the post-turn background workers (memory writes) and the embedding warm-up.
            await host.StartAsync(cancellationToken);
            try
            {
                return await session.RunAsync(Console.In, Console.Out, cancellationToken);
            }
            finally
            {
                // Drains the memory writes of the last turns (memory.drain_timeout_seconds at most).
                await host.StopAsync(CancellationToken.None);
            }
        }));
        return command;
    }

    private static string DefaultUser() =>
        System.Environment.GetEnvironmentVariable("USER") is { Length: > 0 } name ? name : System.Environment.UserName is { Length: > 0 } n ? n : "me";

    private static void PrintSetupHelp(IReadOnlyList<string> missing, string home)
    {
        Console.Error.WriteLine("WhisperEngine needs an OpenAI-compatible model endpoint before it can chat. Set:");
        Console.Error.WriteLine();
        foreach (var line in missing)
        {
            Console.Error.WriteLine("  " + line);
        }

        Console.Error.WriteLine("  LLM_CHAT_API_KEY   the endpoint's API key, if it needs one (OpenRouter and OpenAI do; Ollama and LM Studio do not)");
        Console.Error.WriteLine();
        Console.Error.WriteLine("For example:");
        Console.Error.WriteLine("  export LLM_CHAT_API_URL=https://openrouter.ai/api/v1 LLM_CHAT_API_KEY=sk-or-... LLM_CHAT_MODEL=openai/gpt-4o-mini");
        Console.Error.WriteLine();
        Console.Error.WriteLine($"or write them into {Path.Combine(home, "config.yaml")}:");
        Console.Error.WriteLine("  llm:");
        Console.Error.WriteLine("    chat:");
        Console.Error.WriteLine("      api_url: https://openrouter.ai/api/v1");
        Console.Error.WriteLine("      api_key: sk-or-...");
        Console.Error.WriteLine("      model: openai/gpt-4o-mini");
    }
}
