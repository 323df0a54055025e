namespace WhisperEngine.Core.Coordination;

/// <summary>
/// Short messages between the processes of one deployment about what each holds in memory (loaded indexes, caches):
/// "this changed, update your copy". Best effort: a message can be lost while the transport is down, and then every
/// subscriber is told to resynchronise (drop what it holds and reload it from the store).
/// </summary>
/// <remarks>
/// A process does not hear its own messages. With one process (the desktop tier) there is nobody to tell:
/// <see cref="NoPeerSignals"/>.
/// </remarks>
public interface IPeerSignals
{
    /// <summary>Sends <paramref name="message"/> on <paramref name="topic"/> to the other processes. Never throws because the transport is down.</summary>
    ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hears the other processes' messages on <paramref name="topic"/>. <paramref name="resynchronise"/> runs when messages
    /// may have been missed (the transport came back after an outage). Both run on the transport's thread: keep them short.
    /// </summary>
    IDisposable Subscribe(string topic, Action<string> received, Action resynchronise);
}
