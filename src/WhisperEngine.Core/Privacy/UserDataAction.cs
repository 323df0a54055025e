namespace WhisperEngine.Core.Privacy;

/// <summary>What an erasure does to a person's rows in a table.</summary>
public enum UserDataAction
{
    /// <summary>The rows are deleted.</summary>
    Deleted = 0,

    /// <summary>
    /// The rows stay with the person's id replaced by a random pseudonym and nothing they said in them (the usage
    /// ledger: costs and budgets must still add up).
    /// </summary>
    Anonymised = 1,
}
