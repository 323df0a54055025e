using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine memory facts list|add|remove</c>: the facts a bot keeps about a person, or its global facts.</summary>
internal static class MemoryFactsCommand
{
    /// <summary>Adds <c>facts</c> under the <c>memory</c> command, creating that command when no other part has.</summary>
    public static void AddTo(RootCommand root, GlobalOptions global)
    {
        var memory = root.Subcommands.FirstOrDefault(c => c.Name == "memory");
        if (memory is null)
        {
            memory = new Command("memory", "Inspect and manage long-term memory.");
            root.Subcommands.Add(memory);
        }

        memory.Subcommands.Add(Create(global));
    }

    private static Command Create(GlobalOptions global)
    {
        var target = new FactTarget();
        var all = new Option<bool>("--all") { Description = "Also list retired facts (replaced or no longer true)" };
        var list = new Command("list", "List the facts with their ids (what 'remove' takes); --all adds the replaced and retired ones.") { all };
        target.AddTo(list);
        list.SetAction((result, cancellationToken) => Run(global, target, result, async (store, owner) =>
        {
            var facts = result.GetValue(all) ? await store.GetAllAsync(owner, cancellationToken) : await store.GetActiveAsync(owner, cancellationToken);
            if (facts.Count == 0)
            {
                Console.Out.WriteLine($"No facts for {Describe(owner)}.");
                return ExitCodes.Ok;
            }

            // Plain lines, not a table: values are free text of any length, and scripts read this too.
            Console.Out.WriteLine($"Facts of {Describe(owner)}:");
            foreach (var f in facts)
            {
                var state = f.IsActive ? "active" : f.SupersededBy is { } by ? $"replaced by {by}" : "retired" + (f.RetiredReason is { } r ? $" ({r})" : "");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{f.Id,6}  {f.Key} = {f.Value}"));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"        about {f.Subject.ToString().ToLowerInvariant()} · confidence {f.Confidence:0.00} · learnt in {Privacy(f.Privacy)} · source {f.Source} · updated {f.UpdatedAt:yyyy-MM-dd HH:mm} · {state}"));
            }
            return ExitCodes.Ok;
        }));

        var text = new Argument<string>("text") { Description = "The fact, e.g. \"Allergic to peanuts\" (with --key, the value)" };
        var key = new Option<string?>("--key") { Description = "Store it under this key (e.g. lives_in); a fact with the same key is replaced", HelpName = "key" };
        var dmOnly = new Option<bool>("--private") { Description = "Use it only in direct messages (default: everywhere)" };
        var add = new Command("add", "Add a fact (confidence 1); one with the same key is replaced, never kept beside it.") { text, key, dmOnly };
        target.AddTo(add);
        add.SetAction((result, cancellationToken) => Run(global, target, result, async (store, owner) =>
        {
            NewFact fact;
            try
            {
                fact = FactInput.FromText(result.GetValue(text)!, result.GetValue(key), owner.IsGlobal ? FactSubject.Bot : FactSubject.User,
                    owner.IsGlobal ? FactSources.Admin : FactSources.User,
                    result.GetValue(dmOnly) ? PrivacyLevel.DirectMessage : PrivacyLevel.PublicChannel, "cli");
            }
            catch (ArgumentException ex)
            {
                CliApp.Error(ex.Message.Split(" (Parameter", 2)[0]);
                return ExitCodes.Failed;
            }

            var stored = await store.AddAsync(owner, fact, cancellationToken);
            Console.Out.WriteLine($"Fact {stored.Id} of {Describe(owner)}: {stored.Key} = {stored.Value}");
            return ExitCodes.Ok;
        }));

        var id = new Argument<long>("id") { Description = "The fact's id, as 'list' shows it" };
        var remove = new Command("remove", "Delete a fact and the earlier values it replaced.") { id };
        target.AddTo(remove);
        remove.SetAction((result, cancellationToken) => Run(global, target, result, async (store, owner) =>
        {
            var factId = result.GetValue(id);
            if (!await store.DeleteAsync(owner, factId, cancellationToken))
            {
                CliApp.Error($"{Describe(owner)} has no fact {factId}; 'whisperengine memory facts list' shows the ids.");
                return ExitCodes.Failed;
            }

            Console.Out.WriteLine($"Deleted fact {factId} of {Describe(owner)}.");
            return ExitCodes.Ok;
        }));

        return new Command("facts", "The facts a bot keeps about a person (--user), or its global facts (--global).") { list, add, remove };
    }

    private static Task<int> Run(GlobalOptions global, FactTarget target, ParseResult result, Func<IFactStore, FactOwner, Task<int>> body) => CliApp.Guard(async () =>
    {
        var configuration = ConfigurationLoader.Load(global.Request(result));
        var settings = configuration.Values;
        if (target.Owner(result, settings) is not { } owner)
        {
            return ExitCodes.Failed;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddWhisperEngine(configuration);
        await using var provider = services.BuildServiceProvider();
        if (provider.GetService<IFactStore>() is not { } store)
        {
            CliApp.Error($"Facts are kept in the SQLite store; storage.provider {settings.StorageProvider} has no fact store in this build.");
            return ExitCodes.Failed;
        }

        return await body(store, owner);
    });

    private static string Describe(FactOwner owner) =>
        owner.IsGlobal ? $"bot {owner.BotId} (global)" : $"user {owner.UserId} with bot {owner.BotId}" + (owner.TenantId == ConversationKey.DefaultTenant ? "" : $" in tenant {owner.TenantId}");

    private static string Privacy(PrivacyLevel privacy) => privacy switch
    {
        PrivacyLevel.DirectMessage => "direct message",
        PrivacyLevel.PrivateChannel => "private channel",
        _ => "public",
    };
}
