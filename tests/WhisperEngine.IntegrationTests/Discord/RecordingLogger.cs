using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>Keeps every log entry, so tests can wait for an event id and check that no secret was written.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(int EventId, string Text)> _entries = new();

    public IReadOnlyList<(int EventId, string Text)> Entries => _entries.ToArray();

    /// <summary>Everything written: messages and exception messages.</summary>
    public string AllText => string.Join("\n", _entries.Select(e => e.Text));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue((eventId.Id, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
    }

    public async Task WaitForEventAsync(int eventId, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_entries.Count(e => e.EventId == eventId) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Log event {eventId} was not written {count} time(s).");
            }

            await Task.Delay(5);
        }
    }
}
