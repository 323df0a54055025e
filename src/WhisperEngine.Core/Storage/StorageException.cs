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

    /// <summary>
    /// True when the operation stored a message before it failed (the read after an append): a retry must not store it again.
    /// </summary>
    public bool MessageStored { get; init; }
}
