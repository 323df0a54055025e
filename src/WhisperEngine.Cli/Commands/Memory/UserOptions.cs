using System.CommandLine;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>Who a memory command is about: <c>--user</c>, <c>--bot</c>, <c>--tenant</c>.</summary>
internal sealed class UserOptions(bool userRequired = true)
{
    public Option<string?> User { get; } = new("--user", "-u")
    {
        Description = "The person: their user id (a Discord user id, the name given to chat --user, the API's user field)",
        HelpName = "id",
        Required = userRequired,
    };

    public Option<string?> Bot { get; } = new("--bot", "-b") { Description = "Only what this bot keeps (default: every bot of the tenant)", HelpName = "id" };

    public Option<string?> Tenant { get; } = new("--tenant") { Description = "The tenant (default: the bot's tenant, else 'default')", HelpName = "id" };

    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Bot);
        command.Options.Add(Tenant);
    }
}
