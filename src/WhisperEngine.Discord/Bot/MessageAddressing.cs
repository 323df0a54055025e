using System.Text.RegularExpressions;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Bot;

/// <summary>Whether a message is meant for this bot, and its text as the character should read it.</summary>
internal static partial class MessageAddressing
{
    /// <summary>
    /// A direct message, a message that mentions the bot (in <c>mentions</c> or as <c>&lt;@id&gt;</c> in the text),
    /// or a reply to one of the bot's messages. <c>@everyone</c> and role mentions do not count.
    /// </summary>
    public static bool IsAddressedTo(DiscordMessage message, string selfId) =>
        message.IsDirect
        || message.MentionsUser(selfId)
        || message.Content.Contains($"<@{selfId}>", StringComparison.Ordinal)
        || message.Content.Contains($"<@!{selfId}>", StringComparison.Ordinal)
        || message.ReferencedMessage?.Author.Id == selfId;

    /// <summary>
    /// Removes the mentions of the bot and writes other user mentions as <c>@name</c>, so the model reads what a
    /// person would see; whitespace is tidied.
    /// </summary>
    public static string TextFor(DiscordMessage message, string selfId)
    {
        var text = UserMention().Replace(message.Content, match =>
        {
            var id = match.Groups["id"].Value;
            if (id == selfId)
            {
                return " ";
            }

            var user = message.Mentions.FirstOrDefault(u => u.Id == id);
            return user is null ? match.Value : "@" + (user.GlobalName ?? user.Username);
        });
        return Spaces().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"<@!?(?<id>\d{1,20})>")]
    private static partial Regex UserMention();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();
}
