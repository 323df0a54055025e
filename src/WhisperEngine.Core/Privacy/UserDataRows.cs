namespace WhisperEngine.Core.Privacy;

/// <summary>How many rows of a person one table holds, or an erasure deleted or anonymised.</summary>
/// <param name="Table">The table (or key space) name, as the backend calls it.</param>
/// <param name="Rows">The number of rows.</param>
/// <param name="Action">What an erasure does with them.</param>
public sealed record UserDataRows(string Table, long Rows, UserDataAction Action);
