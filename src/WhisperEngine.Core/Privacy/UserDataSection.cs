namespace WhisperEngine.Core.Privacy;

/// <summary>The rows one <see cref="IUserDataParticipant"/> holds (or erased) of a person, per table.</summary>
/// <param name="Name">The participant's <see cref="IUserDataParticipant.Name"/>.</param>
/// <param name="Tables">Its tables.</param>
public sealed record UserDataSection(string Name, IReadOnlyList<UserDataRows> Tables)
{
    /// <summary>The rows over every table.</summary>
    public long TotalRows => Tables.Sum(t => t.Rows);
}
