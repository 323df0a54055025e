namespace WhisperEngine.Core.Dispatch;

/// <summary>
/// A turn lease that carries a fencing token: a number that grows with every acquisition of the conversation's
/// lease across processes. Writes made under the lease carry it, so that a store can refuse a writer whose lease
/// expired while a newer holder has already written.
/// </summary>
public interface IFencedLease
{
    /// <summary>The token, or null when the lease was taken without one (the shared lock was unreachable).</summary>
    long? FencingToken { get; }
}
