namespace WhisperEngine.Core.Privacy.Export;

/// <summary>A conversation in a person's data export (section <c>conversations</c>).</summary>
/// <param name="Bot">The bot it is with.</param>
/// <param name="Channel">Where: <c>terminal</c>, <c>api</c>, a Discord channel id.</param>
/// <param name="Privacy"><c>direct_message</c>, <c>private_channel</c> or <c>public_channel</c>.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="Messages">Its messages, oldest first: what the person said and what the bot answered.</param>
public sealed record ExportedConversation(string Bot, string Channel, string Privacy, DateTimeOffset CreatedAt, IReadOnlyList<ExportedMessage> Messages);
