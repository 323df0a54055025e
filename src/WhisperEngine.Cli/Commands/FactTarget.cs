using System.CommandLine;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Cli.Commands;

/// <summary>The options that say whose facts a <c>memory facts</c> command works on: --user, --bot, --tenant, --global.</summary>
internal sealed class FactTarget
{
    public Option<string?> User { get; } = new("--user") { Description = "The person (their user id: a Discord user id, the chat --user name)", HelpName = "id" };

    public Option<string?> Bot { get; } = new("--bot") { Description = "The bot (default: the first configured bot, else characters.default)", HelpName = "id" };

    public Option<string?> Tenant { get; } = new("--tenant") { Description = "The tenant (default: the bot's, else default)", HelpName = "id" };

    public Option<bool> Global { get; } = new("--global") { Description = "The bot's global facts, used in every conversation (instead of --user)" };

    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Bot);
        command.Options.Add(Tenant);
        command.Options.Add(Global);
    }

    /// <summary>The owner named by the options; null (after printing why) when they are contradictory or incomplete.</summary>
    public FactOwner? Owner(ParseResult result, WhisperEngineSettings settings)
    {
        var user = result.GetValue(User);
        var global = result.GetValue(Global);
        if (global == (user is not null))
        {
            CliApp.Error(global ? "Give --user or --global, not both." : "Say whose facts: --user <id> for a person's, or --global for the bot's own.");
            return null;
        }

        var botId = result.GetValue(Bot) ?? (settings.Bots.Count > 0 ? settings.Bots[0].Definition.Id : settings.DefaultCharacter);
        var tenant = result.GetValue(Tenant)
            ?? settings.Bots.FirstOrDefault(b => b.Definition.Id == botId)?.Definition.TenantId
            ?? ConversationKey.DefaultTenant;
        if (user is { Length: 0 })
        {
            CliApp.Error("--user is empty.");
            return null;
        }

        return global ? FactOwner.Global(tenant, botId) : new FactOwner(tenant, botId, user);
    }
}
