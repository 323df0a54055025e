namespace WhisperEngine.Memory.UserData;

/// <summary>A fact in a person's data export (section <c>facts</c>): active ones and the history of replaced and retired ones.</summary>
public sealed record ExportedFact
{
    public required long Id { get; init; }

    /// <summary>The bot that keeps it.</summary>
    public required string Bot { get; init; }

    /// <summary><c>user</c> (about the person) or <c>bot</c> (what the character told the person about itself).</summary>
    public required string Subject { get; init; }
    public required string Key { get; init; }
    public required string Value { get; init; }
    public required double Confidence { get; init; }

    /// <summary><c>user</c> (the person said it as a fact), <c>message:…</c> (extracted from these messages), …</summary>
    public required string Source { get; init; }

    /// <summary><c>direct_message</c>, <c>private_channel</c> or <c>public_channel</c>: where it was learnt, which decides where it is used.</summary>
    public required string Privacy { get; init; }
    public required string Channel { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it stopped being true; null for an active fact.</summary>
    public DateTimeOffset? RetiredAt { get; init; }

    /// <summary>The id of the fact that replaced it, if one did.</summary>
    public long? SupersededBy { get; init; }
    public string? RetiredReason { get; init; }
}
