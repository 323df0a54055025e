using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private const int ContentLimit = 2000;
    private readonly Dictionary<string, JsonObject> _nonces = new(StringComparer.Ordinal);

    private RestAnswer GatewayBot() => RestAnswer.Ok(new JsonObject
    {
        ["url"] = GatewayUrl.AbsoluteUri.TrimEnd('/'),
        ["shards"] = Options.RecommendedShards,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = Options.SessionStartTotal,
            ["remaining"] = SessionStartRemaining,
            ["reset_after"] = 14_400_000,
            ["max_concurrency"] = Options.MaxConcurrency,
        },
    });

    private JsonObject BotUser() => new()
    {
        ["id"] = Options.BotUserId,
        ["username"] = Options.BotUsername,
        ["global_name"] = null,
        ["bot"] = true,
    };

    private RestAnswer CreateMessage(string channelId, SimulatedRestRequest request)
    {
        if (request.Json is not { ValueKind: JsonValueKind.Object } json
            || !json.TryGetProperty("content", out var contentElement)
            || contentElement.ValueKind != JsonValueKind.String
            || contentElement.GetString() is not { Length: > 0 and <= ContentLimit } content
            || string.IsNullOrWhiteSpace(content))
        {
            return RestAnswer.Error(400, "Invalid Form Body", 50035);
        }

        var nonce = json.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var enforceNonce = json.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True;
        var replyTo = json.TryGetProperty("message_reference", out var reference) && reference.ValueKind == JsonValueKind.Object
            && reference.TryGetProperty("message_id", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()
            : null;

        lock (_lock)
        {
            if (enforceNonce && nonce is not null && _nonces.TryGetValue(nonce, out var existing))
            {
                return RestAnswer.Ok((JsonObject)existing.DeepClone());
            }

            var id = NextSnowflake();
            var message = new JsonObject
            {
                ["id"] = id,
                ["channel_id"] = channelId,
                ["author"] = BotUser(),
                ["content"] = content,
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["type"] = replyTo is null ? 0 : 19,
                ["mentions"] = new JsonArray(),
                ["mention_everyone"] = false,
            };
            if (replyTo is not null)
            {
                message["message_reference"] = new JsonObject { ["message_id"] = replyTo, ["channel_id"] = channelId };
            }

            if (nonce is not null)
            {
                message["nonce"] = nonce;
                _nonces[nonce] = message;
            }

            _messages.Add(new PostedMessage(id, channelId, content, replyTo, nonce, DateTimeOffset.UtcNow));
            return RestAnswer.Ok((JsonObject)message.DeepClone());
        }
    }
}
