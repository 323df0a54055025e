using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Testing.Discord;

/// <summary>One client connection to the simulated gateway.</summary>
internal sealed class GatewayPeer(int number, HttpContext context, WebSocket socket, string path, string query, DateTimeOffset openedAt)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _acking = true;

    public int Number { get; } = number;

    public HttpContext Context { get; } = context;

    public WebSocket Socket { get; } = socket;

    public string Path { get; } = path;

    public string Query { get; } = query;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    public DateTimeOffset? ClosedAt { get; set; }

    public int? ClientCloseCode { get; set; }

    public int? ServerCloseCode { get; set; }

    /// <summary>The session identified or resumed on this connection.</summary>
    public SimulatedSession? Session { get; set; }

    /// <summary>Whether heartbeats get an ACK (a fault turns this off for this connection only).</summary>
    public bool Acking
    {
        get => _acking;
        set => _acking = value;
    }

    /// <summary>The server side hangs: no ACKs, no answer to a close frame (a fault).</summary>
    public bool Frozen { get; set; }

    public bool IsOpen => ClosedAt is null && Socket.State == WebSocketState.Open;

    public SimulatedConnection Snapshot() => new(Number, Path, Query, OpenedAt, ClosedAt, ClientCloseCode, ServerCloseCode);

    /// <summary>Sends a text frame; false when the connection is gone.</summary>
    public async Task<bool> SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State != WebSocketState.Open)
            {
                return false;
            }

            await Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake with <paramref name="code"/>; the receive loop reads the client's answer.</summary>
    public async Task CloseAsync(int code, string reason, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                ServerCloseCode ??= code;
                await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Cuts the TCP connection without a close frame, like a network failure.</summary>
    public void Drop()
    {
        try
        {
            Context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request already ended.
        }
    }
}
