using System.Text.Json;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Discord.Gateway;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Bot;

public sealed partial class DiscordBotRunner
{
    /// <summary>Keeps <see cref="ChannelPrivacy"/> in step with channel, thread and role changes.</summary>
    private void OnChannelEvent(GatewayDispatch dispatch)
    {
        try
        {
            switch (dispatch.Type)
            {
                case GatewayEvents.ChannelCreate or GatewayEvents.ChannelUpdate or GatewayEvents.ThreadCreate or GatewayEvents.ThreadUpdate:
                    if (dispatch.Data.Deserialize(DiscordJsonContext.Default.DiscordChannel) is { } channel)
                    {
                        _privacy.OnChannel(channel);
                    }

                    break;
                case GatewayEvents.ChannelDelete or GatewayEvents.ThreadDelete:
                    if (dispatch.Data.ValueKind == JsonValueKind.Object && dispatch.Data.TryGetProperty("id", out var id) && id.GetString() is { } deleted)
                    {
                        _privacy.OnChannelDeleted(deleted);
                    }

                    break;
                case GatewayEvents.GuildRoleCreate or GatewayEvents.GuildRoleUpdate:
                    if (dispatch.Data.Deserialize(DiscordJsonContext.Default.GuildRoleEvent) is { } role)
                    {
                        _privacy.OnRole(role);
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            BotLog.MalformedChannelEvent(_logger, BotId, dispatch.Type, ex.Message);
        }
    }

    /// <summary>How private the place of <paramref name="message"/> is (see <see cref="ChannelPrivacy"/>).</summary>
    private ValueTask<PrivacyLevel> PrivacyOfAsync(DiscordMessage message, CancellationToken cancellationToken) =>
        _privacy.ResolveAsync(message, FetchChannelAsync, cancellationToken);

    private async Task<DiscordChannel?> FetchChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            return await _rest!.GetChannelAsync(channelId, cancellationToken);
        }
        catch (DiscordException ex)
        {
            BotLog.ChannelUnknown(_logger, BotId, channelId, ex.Message);
            return null;
        }
    }
}
