namespace WhisperEngine.Core.Privacy;

/// <summary>An export or erasure of a person's data could not be completed; the message says what to do.</summary>
public sealed class UserDataException : Exception
{
    public UserDataException()
    {
    }

    public UserDataException(string message)
        : base(message)
    {
    }

    public UserDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when running the same operation again may succeed.</summary>
    public bool IsTransient { get; init; }
}
