using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WhisperEngine.Testing.Discord;

/// <summary>
/// A loopback stand-in for Discord that speaks its real wire protocols: the gateway (WebSocket JSON, Hello,
/// Identify/READY, heartbeats and ACKs, sequence numbers, Resume with replay of missed events, Invalid Session,
/// Reconnect, close codes) and the REST routes a bot uses (<c>GET /gateway/bot</c>, <c>GET /users/@me</c>, <c>GET /channels/{id}</c>,
/// <c>POST /channels/{id}/messages</c>, <c>POST /channels/{id}/typing</c>) with rate-limit headers and 429s.
/// Faults are injected on demand; every REST request and every gateway frame from the client is recorded.
/// </summary>
/// <remarks>
/// Point the client's REST base URL at <see cref="ApiBaseUrl"/>; the gateway URL comes from <c>GET /gateway/bot</c>,
/// as in production. READY names <see cref="ResumeGatewayUrl"/> (a different path), so tests can see that a resume
/// went where Discord said. A client that ignores a rate limit gets a real 429 (<see cref="SimulatedRestRequest.Injected"/> false).
/// </remarks>
public sealed partial class DiscordSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private int _disposed;

    private DiscordSimulator(WebApplication app, DiscordSimulatorOptions options)
    {
        _app = app;
        Options = options;
        _sessionStartRemaining = options.SessionStartTotal;
    }

    public DiscordSimulatorOptions Options { get; }

    /// <summary>The REST base URL to configure the client with, e.g. <c>http://127.0.0.1:54321/api/v10</c>.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The gateway URL that <c>GET /gateway/bot</c> returns.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>The <c>resume_gateway_url</c> of READY.</summary>
    public Uri ResumeGatewayUrl { get; private set; } = null!;

    /// <summary>Starts a simulator on 127.0.0.1 with a port chosen by the operating system.</summary>
    public static async Task<DiscordSimulator> StartAsync(DiscordSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DiscordSimulator).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddWebSockets(o => o.KeepAliveInterval = TimeSpan.Zero);
        builder.WebHost
            .UseKestrelCore()
            .UseShutdownTimeout(TimeSpan.FromSeconds(2))
            .ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            });

        var app = builder.Build();
        var simulator = new DiscordSimulator(app, options ?? new DiscordSimulatorOptions());
        app.UseWebSockets();
        app.Run(simulator.HandleAsync);

        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
            simulator.ApiBaseUrl = new Uri(address + "/api/v10");
            var ws = "ws" + address["http".Length..];
            simulator.GatewayUrl = new Uri(ws + "/gateway");
            simulator.ResumeGatewayUrl = new Uri(ws + "/gateway-resume");
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }

        return simulator;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; throws <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The Discord simulator did not see {what} in time.");
            }

            await Task.Delay(10, _stopping.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var peer in PeersSnapshot().Where(p => p.ClosedAt is null))
        {
            peer.Drop();
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Connections were aborted.
            }
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (context.WebSockets.IsWebSocketRequest && path is "/gateway" or "/gateway-resume")
        {
            await HandleGatewayAsync(context, path);
            return;
        }

        await HandleRestAsync(context);
    }
}
