namespace WhisperEngine.Core.Storage;

/// <summary>A store operation failed.</summary>
public sealed class StorageException : Exception
{
    public StorageException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when retrying the same operation may succeed (busy database, lost connection).</summary>
    public bool IsTransient { get; }
}
