using WhisperEngine.Core.Privacy;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Bot;

public sealed partial class DiscordBotRunner
{
    /// <summary>
    /// The forget command: erases everything this bot keeps about the author (every conversation with them, their
    /// memories and facts; their usage rows anonymised), through the same erasure as <c>whisperengine memory forget</c>.
    /// </summary>
    private async Task<string> ForgetAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        var key = KeyOf(message);
        if (_userData is null)
        {
            var deleted = await _pipeline.ForgetAsync(key, cancellationToken);
            return deleted == 0
                ? "There was nothing of ours to forget here."
                : $"Done: I deleted our conversation here ({deleted} messages). I won't remember it.";
        }

        var report = await _userData.EraseAsync(new UserDataScope(key.TenantId, key.UserId, key.BotId), cancellationToken);
        var removed = report.Sections.SelectMany(s => s.Tables).Where(t => t.Action == UserDataAction.Deleted).Sum(t => t.Rows);
        if (removed == 0)
        {
            return "There was nothing about you to forget.";
        }

        var parts = new List<string> { Count(report.RowsOf("conversations", "messages"), "message") };
        if (report.RowsOf("memories", "memories") is > 0 and var memories)
        {
            parts.Add(Count(memories, "memory", "memories"));
        }

        if (report.RowsOf("facts", "facts") is > 0 and var facts)
        {
            parts.Add(Count(facts, "fact"));
        }

        return $"Done: I deleted everything I kept about you ({string.Join(", ", parts)}). I won't remember any of it.";
    }

    private static string Count(long n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
