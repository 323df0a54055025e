using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>
/// <c>whisperengine memory search "query" --user U</c>: the bots' own retrieval (hybrid: dense and keyword), in the scope
/// of a direct message with the person, so it sees everything of theirs; each bot's memories are searched separately
/// and shown best first per bot.
/// </summary>
internal static class MemorySearchCommand
{
    public static Command Create(GlobalOptions global)
    {
        var who = new UserOptions();
        var query = new Argument<string>("query") { Description = "What to look for, in words (as a message to the bot would say it)" };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many memories per bot", DefaultValueFactory = _ => 10, HelpName = "n" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                r.AddError("--limit must be 1 to 1000");
            }
        });
        var command = new Command("search", "Search a person's memories as the bot recalls them (hybrid retrieval, everything of theirs as in a direct message).")
        {
            query,
        };
        who.AddTo(command);
        command.Options.Add(limit);
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var text = result.GetValue(query);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new MemoryCommandException("The query is empty: say what to look for.", ExitCodes.Failed);
            }

            await using var host = MemoryCommandHost.Open(global, result);
            var scope = host.Scope(who, result);
            await host.RequireUserAsync(scope, cancellationToken);
            var retriever = host.Get<IMemoryRetriever>();
            var max = result.GetValue(limit);
            var hits = new List<(MemoryHit Hit, int Rank)>();
            foreach (var partition in await host.Catalog.ListPartitionsAsync(scope.TenantId, scope.BotId, scope.UserId, cancellationToken))
            {
                // The person's own view: a direct message recalls everything of theirs, from every channel.
                var recall = await retriever.RetrieveAsync(new MemoryQuery(new RecallScope(partition, "cli", PrivacyLevel.DirectMessage), text) { MaxResults = max },
                    cancellationToken);
                hits.AddRange(recall.Hits.Select((hit, i) => (hit, i + 1)));
            }

            if (hits.Count == 0)
            {
                Console.Out.WriteLine($"No memory of {scope.UserId} matches \"{text}\".");
                return ExitCodes.Ok;
            }

            // Each bot recalls from its own memories: ranks and scores compare within a bot, not across bots.
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Memories of {scope.UserId} for \"{text}\", best first per bot"))
                .AddColumn("bot").AddColumn(new TableColumn("#").RightAligned()).AddColumn("said (UTC)").AddColumn("where").AddColumn("speaker")
                .AddColumn("memory").AddColumn(new TableColumn("score").RightAligned()).AddColumn("found by");
            foreach (var (hit, rank) in hits)
            {
                var r = hit.Record;
                var by = string.Join(", ", new[] { hit.DenseRank is { } d ? $"meaning #{d}" : null, hit.KeywordRank is { } k ? $"words #{k}" : null }.OfType<string>());
                table.AddRow(Markup.Escape(r.Partition.BotId), rank.ToString(CultureInfo.InvariantCulture), MemoryTables.When(r.OccurredAt),
                    Markup.Escape(MemoryTables.Where(r)), Markup.Escape(r.Speaker), Markup.Escape(r.Text),
                    hit.Score.ToString("0.000", CultureInfo.InvariantCulture), by);
            }

            MemoryConsole.Out.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
