using System.Globalization;
using System.Text;
using WhisperEngine.Core.Characters;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Bot;

public sealed partial class DiscordBotRunner
{
    private static readonly string[] AdminCommands = ["status", "reload"];

    private bool TryParseCommand(string text, out string command, out string arguments)
    {
        command = arguments = "";
        if (!text.StartsWith(_options.CommandPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text[_options.CommandPrefix.Length..].Trim();
        var space = rest.IndexOfAny([' ', '\n', '\t']);
        command = (space < 0 ? rest : rest[..space]).ToLowerInvariant();
        arguments = space < 0 ? "" : rest[(space + 1)..].Trim();
        if (command == "forget" && arguments.Equals("me", StringComparison.OrdinalIgnoreCase))
        {
            arguments = "";
        }

        return command.Length > 0;
    }

    /// <summary>Runs a command; null when <paramref name="command"/> is not one (the text then goes to the character).</summary>
    private async Task<string?> RunCommandAsync(DiscordMessage message, string command, string arguments, CancellationToken cancellationToken)
    {
        var p = _options.CommandPrefix;
        if (command is not ("forget" or "forgetme" or "memory" or "facts" or "help") && !AdminCommands.Contains(command))
        {
            return null;
        }

        BotLog.Command(_logger, BotId, command, message.Author.Id, message.ChannelId);
        if (AdminCommands.Contains(command) && !_options.AdminUserIds.Contains(message.Author.Id))
        {
            BotLog.AdminRefused(_logger, BotId, command, message.Author.Id);
            return $"Sorry, {p}{command} is only for the admins of this bot.";
        }

        switch (command)
        {
            case "forget" or "forgetme":
                return await ForgetAsync(message, cancellationToken);
            case "memory":
                var count = await _store.CountMessagesAsync(KeyOf(message), cancellationToken);
                return $"I remember {count} messages of our conversation here ({(message.IsDirect ? "direct messages" : "this channel")}). " +
                    $"Facts about you aren't kept yet; that comes with the memory update. Say {p}forget to delete our conversation.";
            case "facts":
                return "I don't keep a list of facts about you yet: that comes with the memory update, so nothing was added, listed or removed. " +
                    $"{p}memory shows what I do remember.";
            case "status":
                return Status();
            case "reload":
                return Reload();
            default:
                return $"Commands: {p}forget (delete our conversation here), {p}memory (what I remember), {p}facts (coming with the memory update)" +
                    (_options.AdminUserIds.Contains(message.Author.Id) ? $"; admin: {p}status, {p}reload" : "") + ".";
        }
    }

    private string Status()
    {
        var uptime = StartedAt is { } started ? _options.TimeProvider.GetUtcNow() - started : TimeSpan.Zero;
        var shards = string.Join(", ", _shards.Select(s =>
            $"shard {s.ShardId} {s.State.ToString().ToLowerInvariant()}" + (s.Latency is { } l ? $" ({l.TotalMilliseconds:0} ms)" : "")));
        return string.Create(CultureInfo.InvariantCulture,
            $"Bot {BotId} as {CharacterName()}: up {(int)uptime.TotalHours}:{uptime:mm\\:ss}; {shards}; {_characters.All.Count} characters loaded.");
    }

    private string Reload()
    {
        try
        {
            _characters.Reload();
            return $"Reloaded {_characters.All.Count} characters: {string.Join(", ", _characters.All.Select(c => c.Id))}.";
        }
        catch (CharacterValidationException ex)
        {
            BotLog.ReloadFailed(_logger, BotId, ex.Problems.Count);
            var text = new StringBuilder("Reload refused; the loaded characters stay. Problems:");
            foreach (var problem in ex.Problems.Take(5))
            {
                text.Append("\n- ").Append(problem);
            }

            return text.ToString();
        }
    }
}
