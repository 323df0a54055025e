using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Api.Contracts;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Turns;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Api;

/// <summary>
/// Once the server listens, builds the turn path (the pipeline and what it holds), loads the tokenizer vocabulary and
/// configures the API's JSON contracts in the background; with <c>server.warmup_turns</c>, runs warm-up turns
/// (<see cref="WarmupTurns"/>) until the runtime has compiled the turn path's hot code; then collects the garbage that
/// leaves (about 90 MB of large arrays) in one full, compacting collection. <c>/readyz</c> waits for it, so traffic
/// meets a warm server: the first turns neither wait for the vocabulary nor meet the long collection it would otherwise
/// cause under load (0.3-0.9 s pauses in the load bench), nor share the cores with the JIT.
/// </summary>
/// <remarks>Thread-safe. A failed warm-up still counts as done: the first turn then reports the failure itself.</remarks>
internal sealed partial class TurnPathWarmup(IServiceProvider services, IHostApplicationLifetime lifetime, WhisperEngineSettings settings,
    WarmupKey key, ILogger<TurnPathWarmup> logger) : IHostedService
{
    /// <summary>Warm-up conversations run at once (each a person of its own), as a few users talk at a time.</summary>
    private const int AtOnce = 4;

    /// <summary>Turns each warm-up person takes before the next group speaks: first turns (a new conversation) are warmed too.</summary>
    private const int TurnsEach = 4;

    /// <summary>Warm-up people in all, in groups of <see cref="AtOnce"/>; after the last group the first speaks again.</summary>
    private const int People = 32;

    /// <summary>Turns before the warm-up may stop: the runtime optimises a method once it has run 30 times.</summary>
    private const int MinTurns = 48;

    /// <summary>Rounds in a row that compiled at most <see cref="QuietMethods"/> methods, after which the code has settled.</summary>
    private const int QuietRounds = 3;

    private const int QuietMethods = 4;

    /// <summary>
    /// Pause after each round, before the compiled-method count is read: the optimised recompilation runs on a
    /// background thread, which gets the cores meanwhile.
    /// </summary>
    private static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(25);

    /// <summary>What the warm-up people say, in turn: everyday chat of a few lengths.</summary>
    private static readonly string[] Lines =
    [
        "Hi! I just got back from a long walk by the river.",
        "My sister is visiting next weekend and I want to cook something nice for her.",
        "Do you remember what I told you about my new job?",
        "I have been learning to play the guitar, but my fingers hurt a lot.",
        "The weather was terrible today, rain all afternoon.",
        "What would you recommend for someone who wants to sleep better?",
        "I finally finished that book about the history of maps. It was wonderful.",
        "My cat knocked a glass off the table again this morning.",
        "Tell me something that made you smile this week.",
        "I am thinking about taking a trip to the mountains in spring.",
        "Work was stressful, my manager moved the deadline to Friday.",
        "Thanks for listening, it really helps to talk about it.",
    ];

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has run (or failed).</summary>
    public Task Done => _done.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(WarmAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmAsync()
    {
        try
        {
            var pipeline = services.GetRequiredService<TurnPipeline>();
            services.GetRequiredService<ITokenCounter>().CountTokens("warm up");
            ConfigureJsonContracts();
            if (settings.WarmupTurns > 0)
            {
                await RunTurnsAsync(pipeline, lifetime.ApplicationStopping);
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Failed(logger, ex.Message);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    /// <summary>
    /// Rounds of <see cref="AtOnce"/> turns at once, until <c>server.warmup_turns</c> or until, after
    /// <see cref="MinTurns"/>, rounds stop compiling methods (the hot path then runs optimised code); then erases the
    /// warm-up people, whose turns' background work (memory writes) has had the rounds to run.
    /// </summary>
    private async Task RunTurnsAsync(TurnPipeline pipeline, CancellationToken stopping)
    {
        var bots = services.GetRequiredService<IBotDirectory>().All;
        if (bots.Count == 0)
        {
            return;
        }

        if (!CallCountingStartsAtOnce())
        {
            Log.CallCountingDelayed(logger);
        }

        var started = Stopwatch.GetTimestamp();
        var compiledAtStart = JitInfo.GetCompiledMethodCount();
        // Per process: replicas warming up at once talk as different people.
        var run = $"{Environment.ProcessId}-{Random.Shared.Next(100_000, 1_000_000)}";
        var people = Enumerable.Range(0, People).Select(i => $"warmup-{run}-{i}").ToArray();
        var (turns, failed, quiet, spoke) = (0, 0, 0, 0);
        // Through the server's own HTTP endpoint when it has one (Kestrel, the endpoint and its JSON warm up too),
        // else through the pipeline.
        using var http = OwnAddress() is { } address ? new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) } : null;
        Func<BotDefinition, string, string, bool, Task<string?>> turn = http is null
            ? (bot, person, text, _) => PipelineTurnAsync(pipeline, bot, person, text, stopping)
            : (bot, person, text, stream) => HttpTurnAsync(http, bot, person, text, stream, stopping);
        string? firstFailure = null;
        var compiled = compiledAtStart;
        while (turns < settings.WarmupTurns && !stopping.IsCancellationRequested)
        {
            var round = Math.Min(AtOnce, settings.WarmupTurns - turns);
            var index = turns / AtOnce;
            var group = index / TurnsEach % (People / AtOnce);
            spoke = Math.Max(spoke, (group + 1) * AtOnce);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, round).Select(i =>
                turn(bots[(group + i) % bots.Count], people[(group * AtOnce) + i], Lines[(index + i) % Lines.Length], i % 2 == 1)));
            turns += round;
            foreach (var failure in outcomes.OfType<string>())
            {
                failed++;
                firstFailure ??= failure;
            }

            if (failed == turns)
            {
                // Nothing gets through (the store or a character is not usable): the first real turn reports why.
                break;
            }

            await Task.Delay(RoundPause, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var now = JitInfo.GetCompiledMethodCount();
            quiet = now - compiled <= QuietMethods ? quiet + 1 : 0;
            compiled = now;
            if (turns >= MinTurns && quiet >= QuietRounds)
            {
                break;
            }
        }

        // Before the erasure, which fails too when the store does.
        if (firstFailure is not null)
        {
            Log.TurnFailed(logger, failed, turns, firstFailure);
        }

        var userData = services.GetRequiredService<UserDataService>();
        var erased = 0L;
        foreach (var person in people.Take(spoke))
        {
            erased += (await userData.EraseAsync(new UserDataScope(WarmupTurns.Tenant, person), CancellationToken.None)).TotalRows;
        }

        Log.Warmed(logger, turns, failed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, compiled - compiledAtStart, erased);
    }

    /// <summary>
    /// One warm-up turn as a client sends it: a chat completion request (streamed or not) with the warm-up key; the
    /// failure's message, or null when it went through.
    /// </summary>
    private async Task<string?> HttpTurnAsync(HttpClient http, BotDefinition bot, string person, string text, bool stream, CancellationToken stopping)
    {
        try
        {
            var body = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                json.WriteString("model", bot.Id);
                json.WriteString("user", person);
                json.WriteBoolean("stream", stream);
                json.WriteStartArray("messages");
                json.WriteStartObject();
                json.WriteString("role", "user");
                json.WriteString("content", text);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartObject("metadata");
                json.WriteString("channel_id", "warmup");
                json.WriteEndObject();
                json.WriteEndObject();
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new ByteArrayContent(body.WrittenMemory.ToArray()) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(WarmupKey.Header, key.Value);
            if (settings.ServerApiKey is { Length: > 0 } apiKey)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping);
            var answer = await response.Content.ReadAsStringAsync(stopping);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}: {(answer.Length <= 300 ? answer : answer[..300])}";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex.Message;
        }
    }

    /// <summary>Where the server's own clients reach it: its first http:// address, with a wildcard host as loopback.</summary>
    private Uri? OwnAddress()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var wildcard = address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://[::1]:", StringComparison.Ordinal);
            if (Uri.TryCreate(wildcard.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
            {
                return uri;
            }
        }

        return null;
    }

    /// <summary>
    /// True when .NET counts calls for its optimising recompilation from the first call (call-counting delay 0). By
    /// default it starts counting only after 100 ms in which no new method was compiled; a warm-up, like any busy start,
    /// keeps putting that off, and its turns then end before most of the hot path is recompiled (measured: promotions
    /// still arriving in bursts after 300 turns and 13 s, against settled after ~300 turns and 5 s with the delay at 0).
    /// The setting is the process's, read at its start: <c>DOTNET_TC_CallCountingDelayMs=0</c> in serve's environment.
    /// It is not the program's default because the desktop tier starts slower with it (serve ready in 2.1 s against 1.5 s).
    /// </summary>
    private static bool CallCountingStartsAtOnce() =>
        (Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") ?? Environment.GetEnvironmentVariable("COMPlus_TC_CallCountingDelayMs")
            ?? AppContext.GetData("System.Runtime.TieredCompilation.CallCountingDelayMs")?.ToString())?.Trim() == "0";

    /// <summary>One warm-up turn through the pipeline; the failure's message, or null when it went through.</summary>
    private static async Task<string?> PipelineTurnAsync(TurnPipeline pipeline, BotDefinition bot, string person, string text, CancellationToken stopping)
    {
        try
        {
            await pipeline.RunAsync(new TurnRequest(new ConversationKey(WarmupTurns.Tenant, bot.Id, person, "warmup"), PrivacyLevel.DirectMessage, text),
                stopping);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Configures the API's JSON contracts once, here: the first use of each configures it under a lock, and in the load
    /// bench four of the burst's first turns waited 75 ms on the response's.
    /// </summary>
    private static void ConfigureJsonContracts()
    {
        var context = ApiJsonContext.Default;
        _ = (context.ChatCompletionRequest, context.ChatCompletionResponse, context.ModelList, context.ModelInfo, context.ErrorResponse,
            context.HealthReport, context.ErasureResponse);
    }

    private static partial class Log
    {
        [LoggerMessage(4020, LogLevel.Warning, "Warm-up of the turn path failed ({Reason}); the first turn will report it")]
        public static partial void Failed(ILogger logger, string reason);

        [LoggerMessage(4021, LogLevel.Information,
            "Warm-up: {Turns} turns ({Failed} failed) in {ElapsedMs} ms, {Methods} methods compiled meanwhile; its {Rows} stored rows erased")]
        public static partial void Warmed(ILogger logger, int turns, int failed, long elapsedMs, long methods, long rows);

        [LoggerMessage(4022, LogLevel.Warning, "Warm-up: {Failed} of {Turns} turns failed, the first with: {Reason}")]
        public static partial void TurnFailed(ILogger logger, int failed, int turns, string reason);

        [LoggerMessage(4023, LogLevel.Warning,
            "Warm-up turns run, but .NET starts counting calls for its optimised recompilation only after 100 ms without a new method compiled, which the warm-up keeps putting off: set DOTNET_TC_CallCountingDelayMs=0 in serve's environment for a warm-up that leaves the hot path optimised")]
        public static partial void CallCountingDelayed(ILogger logger);
    }
}
