namespace WhisperEngine.Core.Privacy;

/// <summary>What the stores hold of a person.</summary>
/// <param name="Scope">Whose data.</param>
/// <param name="Sections">Rows per participant and table.</param>
/// <param name="Bots">The bots that hold any conversation of the person, sorted.</param>
/// <param name="Conversations">How many conversations the person has in the scope.</param>
public sealed record UserDataInventory(UserDataScope Scope, IReadOnlyList<UserDataSection> Sections, IReadOnlyList<string> Bots, int Conversations)
{
    /// <summary>Rows over every section and table.</summary>
    public long TotalRows => Sections.Sum(s => s.TotalRows);

    /// <summary>True when no store holds anything of the person.</summary>
    public bool IsEmpty => TotalRows == 0 && Conversations == 0;
}
