namespace WhisperEngine.Core.Turns;

/// <summary>A turn could not be completed. The user's message, once accepted, is stored even when this is thrown.</summary>
public sealed class TurnException : Exception
{
    public TurnException(TurnErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public TurnException()
        : this(TurnErrorKind.ModelUnavailable, "The turn failed.")
    {
    }

    public TurnException(string message)
        : this(TurnErrorKind.ModelUnavailable, message)
    {
    }

    public TurnException(string message, Exception innerException)
        : this(TurnErrorKind.ModelUnavailable, message, innerException)
    {
    }

    public TurnErrorKind Kind { get; }

    /// <summary>True when the same request may succeed later.</summary>
    public bool IsTransient => Kind is TurnErrorKind.Busy or TurnErrorKind.ModelUnavailable or TurnErrorKind.StorageUnavailable;

    /// <summary>True when the user's message was stored before the failure.</summary>
    public bool UserMessageStored { get; init; }
}
