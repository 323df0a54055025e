using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>
/// The engine's services for a memory command (the same wiring as <c>run</c> and <c>serve</c>, without starting
/// anything), and the checks every memory command makes: a database that exists, a known bot, a known person.
/// </summary>
internal sealed class MemoryCommandHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private MemoryCommandHost(WhisperEngineSettings settings, ServiceProvider services)
    {
        Settings = settings;
        _services = services;
    }

    public WhisperEngineSettings Settings { get; }

    public IBotDirectory Bots => Get<IBotDirectory>();

    public UserDataService UserData => Get<UserDataService>();

    /// <summary>Loads the configuration and wires the engine; refuses a desktop home without a database (nothing to read, and nothing is created).</summary>
    public static MemoryCommandHost Open(GlobalOptions global, ParseResult result)
    {
        var configuration = ConfigurationLoader.Load(global.Request(result));
        var settings = configuration.Values;
        if (settings.StorageProvider == "sqlite" && !File.Exists(settings.SqlitePath))
        {
            throw new MemoryCommandException(
                $"No data here: {settings.SqlitePath} does not exist (no one has talked with a bot in this home yet; choose the home with --home).");
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => LoggingSetup.Configure(logging, settings));
        services.AddWhisperEngine(configuration);
        return new MemoryCommandHost(settings, services.BuildServiceProvider());
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>The memory catalog of the configured store, or a clear error when the backend has none yet.</summary>
    public IMemoryCatalog Catalog => _services.GetService<IMemoryCatalog>()
        ?? throw new MemoryCommandException($"Long-term memory is not available with storage.provider '{Settings.StorageProvider}' in this build.", ExitCodes.Failed);

    /// <summary>The scope of <c>--user/--bot/--tenant</c>: the tenant defaults to the bot's, else <c>default</c>.</summary>
    public UserDataScope Scope(UserOptions options, ParseResult result)
    {
        var user = result.GetValue(options.User);
        if (string.IsNullOrWhiteSpace(user))
        {
            throw new MemoryCommandException("--user is empty: name the person (their user id).", ExitCodes.Failed);
        }

        var bot = result.GetValue(options.Bot);
        var tenant = result.GetValue(options.Tenant) ?? (bot is null ? null : Bots.Find(bot)?.TenantId) ?? ConversationKey.DefaultTenant;
        return new UserDataScope(tenant, user, string.IsNullOrWhiteSpace(bot) ? null : bot);
    }

    /// <summary>
    /// What is kept of the person in <paramref name="scope"/>; a clear error when the bot is unknown (neither configured
    /// nor holding any data) or nothing is kept about the person.
    /// </summary>
    public async Task<UserDataInventory> RequireUserAsync(UserDataScope scope, CancellationToken cancellationToken)
    {
        var inventory = await UserData.DescribeAsync(scope, cancellationToken);
        if (!inventory.IsEmpty)
        {
            return inventory;
        }

        if (scope.BotId is { } bot && Bots.Find(bot) is null)
        {
            throw new MemoryCommandException($"There is no bot '{bot}' and no data kept by one of that name. Known bots: {string.Join(", ", Bots.All.Select(b => b.Id))}.");
        }

        var elsewhere = scope.BotId is null ? [] : await BotsKeepingAsync(scope with { BotId = null }, cancellationToken);
        throw new MemoryCommandException($"Nothing is kept about user '{scope.UserId}' in tenant '{scope.TenantId}'" +
            (scope.BotId is null ? "" : $" by bot '{scope.BotId}'") +
            (elsewhere.Count > 0 ? $"; bots that keep something: {string.Join(", ", elsewhere)}." : ". Check --user and --tenant (user ids are case-sensitive)."));
    }

    /// <summary>The bots that keep a conversation or memories of the person, sorted.</summary>
    private async Task<IReadOnlyList<string>> BotsKeepingAsync(UserDataScope scope, CancellationToken cancellationToken)
    {
        var bots = new SortedSet<string>((await UserData.DescribeAsync(scope, cancellationToken)).Bots, StringComparer.Ordinal);
        if (_services.GetService<IMemoryCatalog>() is { } catalog)
        {
            bots.UnionWith((await catalog.ListPartitionsAsync(scope.TenantId, null, scope.UserId, cancellationToken)).Select(p => p.BotId));
        }

        return [.. bots];
    }

    /// <summary>Checks <c>--bot</c> for commands without a person: a configured bot, or one that holds memories.</summary>
    public async Task RequireBotAsync(string? bot, CancellationToken cancellationToken)
    {
        if (bot is null || Bots.Find(bot) is not null || (await Catalog.ListPartitionsAsync(botId: bot, cancellationToken: cancellationToken)).Count > 0)
        {
            return;
        }

        throw new MemoryCommandException($"There is no bot '{bot}' and no memories kept by one of that name. Known bots: {string.Join(", ", Bots.All.Select(b => b.Id))}.");
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
