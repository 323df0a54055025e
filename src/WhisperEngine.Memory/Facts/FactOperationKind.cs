namespace WhisperEngine.Memory.Facts;

/// <summary>What a <see cref="FactOperation"/> does.</summary>
public enum FactOperationKind
{
    /// <summary>A new fact. An active fact with the same subject and key is superseded by it (never two values for one key).</summary>
    Add,

    /// <summary>A new value for an existing fact: the old one is retired, superseded by the new one (same subject and key).</summary>
    Update,

    /// <summary>An existing fact stops being true (no replacement).</summary>
    Retire,
}
