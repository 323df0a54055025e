namespace WhisperEngine.Core.Turns;

/// <summary>Why a turn failed; adapters map it to their protocol (HTTP status, in-character message).</summary>
public enum TurnErrorKind
{
    /// <summary>The message cannot be used (empty, too long).</summary>
    InvalidInput,

    /// <summary>No such character.</summary>
    UnknownCharacter,

    /// <summary>Too many turns waiting; try again shortly.</summary>
    Busy,

    /// <summary>The model endpoint failed after retries and fallbacks.</summary>
    ModelUnavailable,

    /// <summary>The store failed.</summary>
    StorageUnavailable,

    /// <summary>No model is configured.</summary>
    NotConfigured,

    /// <summary>A spending limit is reached; the turn was refused before any call.</summary>
    BudgetExhausted,
}
