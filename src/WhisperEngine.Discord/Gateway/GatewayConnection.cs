using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

/// <summary>
/// One WebSocket to the gateway: whole JSON frames in and out, sends serialised and kept within Discord's
/// 120-per-minute limit (heartbeats always go out, so a busy connection is never taken for a dead one).
/// </summary>
/// <remarks>One receiver at a time; sends may come from any thread.</remarks>
internal sealed class GatewayConnection : IAsyncDisposable
{
    private const int MaxFrameBytes = 64 * 1024 * 1024;
    // Discord allows 120 per minute; commands stop at 110 so heartbeats always have room.
    private const int SendLimitForCommands = 110;
    private static readonly TimeSpan SendWindow = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _receiveBuffer = new(16 * 1024);
    private readonly Queue<DateTimeOffset> _sent = new();
    private int _zombie;

    private GatewayConnection(ClientWebSocket socket, TimeProvider time)
    {
        _socket = socket;
        _time = time;
    }

    /// <summary>The close code the server sent, once the connection is closed.</summary>
    public int? CloseCode => (int?)_socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    /// <summary>Set when the heartbeat loop gave up on the connection.</summary>
    public bool IsZombie => Volatile.Read(ref _zombie) == 1;

    public static async Task<GatewayConnection> ConnectAsync(Uri url, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // Discord's heartbeats do this job.
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, connectTimeout.Token);
            return new GatewayConnection(socket, time);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            var reason = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message;
            throw new DiscordException($"Cannot connect to the Discord gateway at {url.Host}: {reason}", isTransient: true, innerException: ex);
        }
    }

    /// <summary>The next frame, or <see langword="null"/> when the server closed the connection.</summary>
    /// <exception cref="WebSocketException">The connection dropped.</exception>
    /// <exception cref="DiscordException">The frame was not a gateway payload (transient: reconnect).</exception>
    public async Task<GatewayPayload?> ReceiveAsync(CancellationToken cancellationToken)
    {
        _receiveBuffer.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_receiveBuffer.GetMemory(8 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _receiveBuffer.Advance(result.Count);
            if (_receiveBuffer.WrittenCount > MaxFrameBytes)
            {
                throw new DiscordException($"The gateway sent a frame larger than {MaxFrameBytes / (1024 * 1024)} MB.", isTransient: true);
            }

            if (result.EndOfMessage)
            {
                break;
            }
        }

        try
        {
            return JsonSerializer.Deserialize(_receiveBuffer.WrittenSpan, DiscordJsonContext.Default.GatewayPayload)
                ?? throw new JsonException("The frame was null.");
        }
        catch (JsonException ex)
        {
            throw new DiscordException("The gateway sent a frame that is not a JSON payload.", isTransient: true, innerException: ex);
        }
    }

    /// <summary>Sends one payload. Commands wait for room in the per-minute budget; heartbeats never wait.</summary>
    public async Task SendAsync(byte[] payload, bool heartbeat, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow();
                while (_sent.Count > 0 && now - _sent.Peek() >= SendWindow)
                {
                    _sent.Dequeue();
                }

                if (heartbeat || _sent.Count < SendLimitForCommands)
                {
                    break;
                }

                await Task.Delay(_sent.Peek() + SendWindow - now, _time, cancellationToken);
            }

            // The frame itself is not cancellable: cancelling a WebSocket send aborts the socket, and a frame is short.
            _sent.Enqueue(_time.GetUtcNow());
            await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends a close frame with <paramref name="code"/> without waiting for the answer (the receive loop reads it),
    /// for use while another task is receiving.
    /// </summary>
    public async Task SendCloseAsync(int code, string reason, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _sendLock.WaitAsync(cancel.Token);
            try
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, cancel.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Completes the close handshake with <paramref name="code"/>, or aborts when the server does not answer in time.</summary>
    public async Task CloseAsync(int code, string reason, TimeSpan timeout)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            _socket.Abort();
            return;
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _sendLock.WaitAsync(cancel.Token);
            try
            {
                await _socket.CloseAsync((WebSocketCloseStatus)code, reason, cancel.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Marks the connection dead (no heartbeat ACK).</summary>
    public void MarkZombie() => Volatile.Write(ref _zombie, 1);

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
