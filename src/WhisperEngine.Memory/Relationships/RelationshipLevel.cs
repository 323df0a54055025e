namespace WhisperEngine.Memory.Relationships;

/// <summary>How well a bot knows a person (see <see cref="RelationshipRules"/>).</summary>
public enum RelationshipLevel
{
    Stranger,
    Acquaintance,
    Friend,
    CloseFriend,
}
