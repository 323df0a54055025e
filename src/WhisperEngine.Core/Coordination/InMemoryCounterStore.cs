using System.Collections.Concurrent;

namespace WhisperEngine.Core.Coordination;

/// <summary>Counters for one process: a fixed window per key that starts at its first add.</summary>
public sealed class InMemoryCounterStore(TimeProvider time) : ICounterStore
{
    private readonly ConcurrentDictionary<string, Window> _counters = new(StringComparer.Ordinal);

    public ValueTask<long> AddAsync(string key, long amount, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            var current = _counters.GetOrAdd(key, _ => new Window(now + window));
            if (current.Expires <= now)
            {
                _counters.TryRemove(new KeyValuePair<string, Window>(key, current));
                continue;
            }

            return ValueTask.FromResult(Interlocked.Add(ref current.Total, amount));
        }
    }

    public ValueTask<long> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_counters.TryGetValue(key, out var w) && w.Expires > time.GetUtcNow() ? Interlocked.Read(ref w.Total) : 0);

    private sealed class Window(DateTimeOffset expires)
    {
        public long Total;

        public DateTimeOffset Expires { get; } = expires;
    }
}
