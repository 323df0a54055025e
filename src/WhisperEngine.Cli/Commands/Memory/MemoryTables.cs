using System.Globalization;
using Spectre.Console;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>The terminal tables of the memory commands.</summary>
internal static class MemoryTables
{
    public static string Where(MemoryRecord record) => record.Privacy switch
    {
        PrivacyLevel.DirectMessage => "DM",
        PrivacyLevel.PrivateChannel => "private " + record.ChannelId,
        _ => "public " + record.ChannelId,
    };

    public static string When(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Rows per section and table, as an inventory or an erasure reports them.</summary>
    public static Table Rows(string title, IReadOnlyList<UserDataSection> sections, bool done)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title))
            .AddColumn("data").AddColumn("table").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(done ? "done" : "on forget");
        foreach (var section in sections)
        {
            foreach (var rows in section.Tables)
            {
                var action = rows.Action == UserDataAction.Anonymised
                    ? (done ? "anonymised" : "anonymise (rows kept for cost totals)")
                    : (done ? "deleted" : "delete");
                table.AddRow(Markup.Escape(section.Name), Markup.Escape(rows.Table), rows.Rows.ToString("#,##0", CultureInfo.InvariantCulture), action);
            }
        }

        return table;
    }
}
