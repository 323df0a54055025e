namespace WhisperEngine.Testing;

/// <summary>One entry of the <c>messages</c> array of a recorded chat completions request.</summary>
/// <param name="Role">The <c>role</c> field (system, developer, user, assistant, tool).</param>
/// <param name="Content">
/// The text of the <c>content</c> field: the string itself, or the <c>text</c> parts of a content array
/// joined together; <see langword="null"/> when the field is absent or null.
/// </param>
public sealed record RecordedMessage(string Role, string? Content);
