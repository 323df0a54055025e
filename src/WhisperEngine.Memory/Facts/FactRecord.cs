using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>A stored fact. A retired fact is kept as history until its owner deletes it.</summary>
public sealed record FactRecord
{
    public required long Id { get; init; }
    public required FactOwner Owner { get; init; }
    public required FactSubject Subject { get; init; }

    /// <summary>The normalised key (see <see cref="FactKey"/>); an owner has at most one active fact per subject and key.</summary>
    public required string Key { get; init; }
    public required string Value { get; init; }

    /// <summary>0 to 1.</summary>
    public required double Confidence { get; init; }

    /// <summary>Where it came from (<see cref="FactSources"/>).</summary>
    public required string Source { get; init; }

    /// <summary>Where it was learnt; decides where it may be used.</summary>
    public required PrivacyLevel Privacy { get; init; }
    public required string ChannelId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last written or confirmed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it stopped being true; null while it is active.</summary>
    public DateTimeOffset? RetiredAt { get; init; }

    /// <summary>The fact that replaced it (a new value for the same key), when it was superseded rather than retired.</summary>
    public long? SupersededBy { get; init; }

    /// <summary>Why it was retired, when a reason was given.</summary>
    public string? RetiredReason { get; init; }

    public bool IsActive => RetiredAt is null;
}
