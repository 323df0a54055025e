namespace WhisperEngine.Core.Privacy.Export;

/// <summary>A message in a person's data export.</summary>
/// <param name="Id">The store's id (increasing in arrival order).</param>
/// <param name="Role"><c>user</c> (the person) or <c>assistant</c> (the bot).</param>
/// <param name="Content">The text as stored (after input cleaning).</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="TokenCount">Its tokens.</param>
/// <param name="Flags">Notable facts: <c>injection_suspected</c>, <c>cleaned</c>, <c>leak_blocked</c>, <c>interrupted</c>.</param>
/// <param name="Model">The model that wrote a reply; null for the person's messages.</param>
public sealed record ExportedMessage(long Id, string Role, string Content, DateTimeOffset CreatedAt, int TokenCount, IReadOnlyList<string> Flags, string? Model);
