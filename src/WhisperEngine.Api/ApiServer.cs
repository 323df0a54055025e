using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using WhisperEngine.AI.Chat;
using WhisperEngine.Api.Contracts;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Api;

/// <summary>Builds the HTTP server: OpenAI-compatible API, health and metrics.</summary>
public static class ApiServer
{
    /// <summary>How long <c>/readyz</c> waits for the warm-up of the turn path before answering "warming up" (503).</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Builds the app for <paramref name="configuration"/>. Refuses (with <see cref="ConfigurationException"/>) to listen
    /// beyond loopback without <c>server.api_key</c>.
    /// </summary>
    public static WebApplication Build(LoadedConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
    {
        var settings = configuration.Values;
        RequireKeyBeyondLoopback(settings);

        Directory.CreateDirectory(settings.Home);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "WhisperEngine", ContentRootPath = settings.Home });
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            k.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddWhisperEngine(configuration);
        builder.Services.AddSingleton<ChatCompletionsEndpoint>();
        builder.Services.AddSingleton<WarmupKey>();
        builder.Services.AddSingleton<TurnPathWarmup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TurnPathWarmup>());
        if (settings.Metrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(TurnMetrics.MeterName, ChatPipeline.TelemetrySourceName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        }

        var app = builder.Build();
        // Character files and bots are validated at start: a bad one stops the start with its message.
        app.Services.GetRequiredService<IBotDirectory>();
        var crashLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WhisperEngine.Api");
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The server keeps running; the client gets OpenAI's error shape, never a stack trace.
                ApiLog.Unhandled(crashLogger, ex, context.Request.Method, context.Request.Path);
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await ApiErrors.WriteAsync(context, 500, "The server failed to handle the request; the error is logged.", "api_error", null, "internal_error");
                }
            }
        });
        var apiKey = settings.ServerApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;
        app.Use(async (context, next) =>
        {
            if (apiKey is not null && context.Request.Path.StartsWithSegments("/v1") && !Authorized(context, apiKey))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ApiErrors.WriteAsync(context, 401, "Missing or incorrect API key: send 'Authorization: Bearer <key>'.", "invalid_request_error", null, "invalid_api_key");
                return;
            }

            await next(context);
        });

        app.MapPost("/v1/chat/completions", (HttpContext context, ChatCompletionsEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapGet("/v1/models", (IBotDirectory bots, ICharacterCatalog characters) =>
            Results.Json(new ModelList("list", [.. bots.All.Select(b => ToModel(b, characters))]), ApiJsonContext.Default.ModelList));
        app.MapGet("/v1/models/{id}", (string id, IBotDirectory bots, ICharacterCatalog characters) =>
            bots.Find(id) is { } b
                ? Results.Json(ToModel(b, characters), ApiJsonContext.Default.ModelInfo)
                : ApiErrors.Result(404, $"The model '{id}' does not exist.", "invalid_request_error", "model", "model_not_found"));

        UserDataEndpoints.Map(app);

        if (settings.Health)
        {
            app.MapGet("/healthz", () => Results.Json(new HealthReport("ok", new Dictionary<string, string>()), ApiJsonContext.Default.HealthReport));
            app.MapGet("/readyz", async (IStoreHealth store, ICharacterCatalog characters, TurnPathWarmup warmup, CancellationToken cancellationToken) =>
            {
                var checks = new Dictionary<string, string>();
                // Ready means warm: the answer waits (a while) for the turn path and the tokenizer to be loaded.
                var warm = warmup.Done.IsCompleted || await Task.WhenAny(warmup.Done, Task.Delay(ReadyWait, cancellationToken)) == warmup.Done;
                checks["turns"] = warm ? "ok" : "warming up";
                var storeProblem = await store.CheckAsync(cancellationToken);
                checks["store"] = storeProblem ?? "ok";
                checks["characters"] = characters.All.Count > 0 ? $"ok ({characters.All.Count})" : "no characters loaded";
                checks["model"] = settings.MissingForChat().Count == 0 ? "ok" : NotConfiguredChatClient.Message;
                var ready = warm && storeProblem is null && characters.All.Count > 0 && settings.MissingForChat().Count == 0;
                return Results.Json(new HealthReport(ready ? "ready" : "not_ready", checks), ApiJsonContext.Default.HealthReport,
                    statusCode: ready ? 200 : 503);
            });
        }

        if (settings.Metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        app.MapFallback((HttpContext context) => ApiErrors.Result(404,
            $"Unknown route {context.Request.Method} {context.Request.Path}; see POST /v1/chat/completions, GET /v1/models and GET|DELETE /v1/users/{{id}}/data.", "invalid_request_error", null, "not_found"));
        return app;
    }

    private static ModelInfo ToModel(BotDefinition bot, ICharacterCatalog characters)
    {
        var character = characters.Find(bot.CharacterId);
        return new(bot.Id, "model", 0, "whisperengine", character?.Name ?? bot.CharacterId, character?.Description);
    }

    private static bool Authorized(HttpContext context, byte[] apiKey)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header[7..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, apiKey);
    }

    private static void RequireKeyBeyondLoopback(WhisperEngineSettings settings)
    {
        if (settings.ServerApiKey is { Length: > 0 })
        {
            return;
        }

        foreach (var url in settings.Urls)
        {
            var host = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Host;
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
                (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
            if (!loopback)
            {
                throw new ConfigurationException([new ValidationProblem("server.urls", 0, 0, "server.api_key",
                    $"serve listens on {url}, beyond this machine, so an API key is required: set WHISPERENGINE_API_KEY (or server.api_key); clients send it as 'Authorization: Bearer <key>'")]);
            }
        }
    }
}
