using StackExchange.Redis;
using WhisperEngine.Core.Coordination;

namespace WhisperEngine.Redis;

/// <summary>
/// Peer signals over Redis pub/sub: one channel per topic under the key prefix, each message prefixed with this
/// process's random sender id so that a process skips its own. Pub/sub keeps nothing: while the subscription
/// connection is down, messages are lost, so when it comes back every subscriber is told to resynchronise.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RedisPeerSignals : IPeerSignals
{
    private const char Separator = '\n';
    private readonly RedisConnection _redis;
    private readonly string _scope;
    private readonly string _sender = Guid.NewGuid().ToString("N");

    /// <param name="redis">The connection.</param>
    /// <param name="scope">Names the store the messages are about (channels are per store: processes of other stores sharing this Redis are not peers).</param>
    public RedisPeerSignals(RedisConnection redis, string scope = "")
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(scope);
        _redis = redis;
        _scope = scope;
    }

    public async ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_redis.IsAvailable)
        {
            return;
        }

        try
        {
            // Sent without waiting for Redis's reply (the count of receivers, which nothing needs): the message is
            // queued on the connection in order, and a turn's memory write does not wait a round trip for it.
            await _redis.Multiplexer.GetSubscriber().PublishAsync(Channel(topic), _sender + Separator + message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            // Lost: the peers resynchronise when their subscription comes back.
            _redis.Degraded(ex.Message);
        }
    }

    public IDisposable Subscribe(string topic, Action<string> received, Action resynchronise)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(resynchronise);
        return new Subscription(this, Channel(topic), received, resynchronise);
    }

    private RedisChannel Channel(string topic) =>
        RedisChannel.Literal(_redis.Options.KeyPrefix + "peers:" + (_scope.Length == 0 ? "" : _scope + ":") + topic);

    private sealed class Subscription : IDisposable
    {
        private readonly RedisPeerSignals _owner;
        private readonly RedisChannel _channel;
        private readonly Action<string> _received;
        private readonly Action _resynchronise;
        private readonly Action<RedisChannel, RedisValue> _handler;
        private int _subscribed;
        private int _missed;

        public Subscription(RedisPeerSignals owner, RedisChannel channel, Action<string> received, Action resynchronise)
        {
            _owner = owner;
            _channel = channel;
            _received = received;
            _resynchronise = resynchronise;
            _handler = OnMessage;
            var multiplexer = owner._redis.Multiplexer;
            multiplexer.ConnectionFailed += OnFailed;
            multiplexer.ConnectionRestored += OnRestored;
            if (!multiplexer.IsConnected)
            {
                // Whatever the peers say before the connection comes up is lost.
                _missed = 1;
            }

            TrySubscribe();
        }

        private void TrySubscribe()
        {
            try
            {
                // The multiplexer re-subscribes by itself after a reconnect once this has succeeded.
                _owner._redis.Multiplexer.GetSubscriber().Subscribe(_channel, _handler);
                Interlocked.Exchange(ref _subscribed, 1);
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                Interlocked.Exchange(ref _missed, 1);
                _owner._redis.Degraded(ex.Message);
            }
        }

        private void OnMessage(RedisChannel channel, RedisValue value)
        {
            var text = (string?)value;
            var split = text?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
            if (split <= 0 || text!.AsSpan(0, split).SequenceEqual(_owner._sender))
            {
                return;
            }

            _received(text![(split + 1)..]);
        }

        private void OnFailed(object? sender, ConnectionFailedEventArgs e)
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                Interlocked.Exchange(ref _missed, 1);
            }
        }

        private void OnRestored(object? sender, ConnectionFailedEventArgs e)
        {
            if (e.ConnectionType != ConnectionType.Subscription)
            {
                return;
            }

            if (Volatile.Read(ref _subscribed) == 0)
            {
                TrySubscribe();
            }

            if (Interlocked.Exchange(ref _missed, 0) == 1)
            {
                _resynchronise();
            }
        }

        public void Dispose()
        {
            var multiplexer = _owner._redis.Multiplexer;
            multiplexer.ConnectionFailed -= OnFailed;
            multiplexer.ConnectionRestored -= OnRestored;
            try
            {
                multiplexer.GetSubscriber().Unsubscribe(_channel, _handler);
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                // Gone with the connection anyway.
            }
        }
    }
}
