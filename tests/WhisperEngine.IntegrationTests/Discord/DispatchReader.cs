using WhisperEngine.Discord.Gateway;

namespace WhisperEngine.IntegrationTests.Discord;

internal static class DispatchReader
{
    /// <summary>Reads dispatches until one of <paramref name="type"/> (and matching <paramref name="match"/>) arrives; the others are returned too.</summary>
    public static async Task<GatewayDispatch> NextAsync(this DiscordGatewayClient client, string type, Func<GatewayDispatch, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var dispatch = await client.Dispatches.ReadAsync(cancel.Token);
            if (dispatch.Type == type && (match is null || match(dispatch)))
            {
                return dispatch;
            }
        }
    }
}
