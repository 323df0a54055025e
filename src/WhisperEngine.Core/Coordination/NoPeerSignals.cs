namespace WhisperEngine.Core.Coordination;

/// <summary>The peer signals of a deployment of one process: nothing to send, nothing to hear.</summary>
public sealed class NoPeerSignals : IPeerSignals
{
    public static readonly NoPeerSignals Instance = new();

    public ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public IDisposable Subscribe(string topic, Action<string> received, Action resynchronise) => Nothing.Instance;

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
