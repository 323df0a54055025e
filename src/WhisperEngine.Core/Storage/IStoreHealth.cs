namespace WhisperEngine.Core.Storage;

/// <summary>Reports whether the primary store answers, for readiness probes.</summary>
public interface IStoreHealth
{
    /// <summary>Runs a trivial query; returns null when healthy, else a short reason.</summary>
    ValueTask<string?> CheckAsync(CancellationToken cancellationToken = default);
}
