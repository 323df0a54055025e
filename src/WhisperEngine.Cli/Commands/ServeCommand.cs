using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Api;
using WhisperEngine.Core.Characters;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine serve</c>: the OpenAI-compatible HTTP API.</summary>
internal static class ServeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:8080 (default: server.urls). Beyond loopback an API key is required.",
            HelpName = "urls",
        };
        var command = new Command("serve", "Serve the OpenAI-compatible API (POST /v1/chat/completions, GET /v1/models), /healthz, /readyz and /metrics.")
        {
            urls,
        };
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var extra = new Dictionary<string, (string, string)>();
            if (result.GetValue(urls) is { } u)
            {
                extra["server.urls"] = (u, "--urls");
            }

            var configuration = ConfigurationLoader.Load(global.Request(result, extra));
            var settings = configuration.Values;
            await using var app = ApiServer.Build(configuration, logging => LoggingSetup.Configure(logging, settings, LogLevel.Information));
            // Resolve the catalog now so that a bad character file stops the start with its message.
            var characters = app.Services.GetRequiredService<ICharacterCatalog>();
            var bots = app.Services.GetRequiredService<Core.Bots.IBotDirectory>();
            await app.StartAsync(cancellationToken);
            // The turn path and the tokenizer vocabulary load in the background now (TurnPathWarmup); /readyz waits for them.
            Console.Out.WriteLine($"WhisperEngine {typeof(ServeCommand).Assembly.GetName().Version?.ToString(3)} serving {string.Join(", ", bots.All.Select(b => b.Id == b.CharacterId ? b.Id : $"{b.Id} ({b.CharacterId})"))}");
            foreach (var url in app.Urls)
            {
                Console.Out.WriteLine($"Listening on {url}  (tier {settings.Tier}, data in {settings.Home})");
            }

            foreach (var line in settings.MissingForChat())
            {
                Console.Out.WriteLine("warning: not ready for chat until you set " + line);
            }

            Console.Out.Flush();
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
