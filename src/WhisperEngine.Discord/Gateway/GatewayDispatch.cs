using System.Text.Json;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

/// <summary>
/// One event (op 0) from the gateway, in sequence order. The events we use arrive parsed: <see cref="Message"/>
/// for <c>MESSAGE_CREATE</c>, <see cref="Ready"/>, <see cref="Guild"/>; every event keeps its raw <see cref="Data"/>.
/// </summary>
/// <param name="Type">The event name, e.g. <c>MESSAGE_CREATE</c> (see <see cref="GatewayEvents"/>).</param>
/// <param name="Sequence">The session's sequence number of the event.</param>
/// <param name="Data">The event payload (<c>d</c>).</param>
public sealed record GatewayDispatch(string Type, int Sequence, JsonElement Data)
{
    /// <summary>The shard that received the event.</summary>
    public int ShardId { get; init; }

    /// <summary>The message of a <c>MESSAGE_CREATE</c>.</summary>
    public DiscordMessage? Message { get; init; }

    /// <summary>The payload of <c>READY</c>.</summary>
    public ReadyEvent? Ready { get; init; }

    /// <summary>The payload of <c>GUILD_CREATE</c>.</summary>
    public GuildCreateEvent? Guild { get; init; }
}
