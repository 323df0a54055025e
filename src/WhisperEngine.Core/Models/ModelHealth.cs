using System.Collections.Concurrent;

namespace WhisperEngine.Core.Models;

/// <summary>
/// A circuit per model: after <see cref="FailureThreshold"/> failures in a row the model is skipped for
/// <see cref="OpenFor"/>; then one call may try it again, and a success closes the circuit.
/// </summary>
public sealed class ModelHealth(TimeProvider time) : IModelHealth
{
    public const int FailureThreshold = 3;

    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, State> _models = new(StringComparer.Ordinal);

    public void Report(string model, bool succeeded)
    {
        var state = _models.GetOrAdd(model, _ => new State());
        lock (state)
        {
            if (succeeded)
            {
                state.Failures = 0;
                state.OpenUntil = DateTimeOffset.MinValue;
            }
            else if (++state.Failures >= FailureThreshold)
            {
                state.OpenUntil = time.GetUtcNow() + OpenFor;
            }
        }
    }

    public string? Problem(string model)
    {
        if (!_models.TryGetValue(model, out var state))
        {
            return null;
        }

        lock (state)
        {
            return state.OpenUntil > time.GetUtcNow() ? $"{state.Failures} failures in a row" : null;
        }
    }

    private sealed class State
    {
        public int Failures { get; set; }

        public DateTimeOffset OpenUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
