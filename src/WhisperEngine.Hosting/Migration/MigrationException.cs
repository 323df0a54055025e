namespace WhisperEngine.Hosting.Migration;

/// <summary>A migration cannot start or cannot finish; the message says what to do.</summary>
public sealed class MigrationException : Exception
{
    public MigrationException()
    {
    }

    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
