using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>
/// <c>whisperengine memory reembed [--bot B]</c>: gives every memory whose vector was made by another embedding model (or
/// that has none) a vector of the configured model, with a progress bar. The engine names this command at start when it
/// finds such memories.
/// </summary>
internal static class MemoryReembedCommand
{
    public static Command Create(GlobalOptions global)
    {
        var who = new UserOptions(userRequired: false);
        var command = new Command("reembed", "Re-embed memories whose vector is from another embedding model than the configured one (after a change of model).");
        who.AddTo(command);
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            await using var host = MemoryCommandHost.Open(global, result);
            var bot = result.GetValue(who.Bot);
            await host.RequireBotAsync(bot, cancellationToken);
            var catalog = host.Catalog;
            var store = host.Get<IMemoryStore>();
            var partitions = await catalog.ListPartitionsAsync(result.GetValue(who.Tenant), bot, result.GetValue(who.User), cancellationToken);
            if (result.GetValue(who.User) is { } user && partitions.Count == 0)
            {
                throw new MemoryCommandException($"No memories of user '{user}'{(bot is null ? "" : $" with bot '{bot}'")}.");
            }

            var writer = host.Get<MemoryWriter>();
            var work = new List<(MemoryPartition Partition, long Count)>();
            long total = 0;
            foreach (var partition in partitions)
            {
                var inventory = await store.GetEmbeddingInventoryAsync(partition, cancellationToken);
                total += inventory.Sum(i => i.Count);
                var stale = inventory.Where(i => i.Model != writer.Model).Sum(i => i.Count);
                if (stale > 0)
                {
                    work.Add((partition, stale));
                }
            }

            var needed = work.Sum(w => w.Count);
            if (needed == 0)
            {
                Console.Out.WriteLine($"All {total:#,##0} memories have vectors of {writer.Model}; nothing to re-embed.");
                return ExitCodes.Ok;
            }

            var done = 0L;
            await MemoryConsole.Out.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape($"Re-embedding {needed:#,##0} memories with {writer.Model}"), maxValue: needed);
                    var progress = new BarProgress(task);
                    foreach (var (partition, _) in work)
                    {
                        done += await writer.ReembedAsync(partition, progress, cancellationToken);
                    }

                    task.Value = task.MaxValue;
                });
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Re-embedded {done:#,##0} memories in {work.Count} partitions with {writer.Model}; {total:#,##0} memories in all."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Advances the bar as each batch is stored (synchronously: <see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class BarProgress(ProgressTask task) : IProgress<int>
    {
        public void Report(int value) => task.Increment(value);
    }
}
