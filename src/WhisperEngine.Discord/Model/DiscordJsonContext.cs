using System.Text.Json.Serialization;

namespace WhisperEngine.Discord.Model;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(HelloEvent))]
[JsonSerializable(typeof(ReadyEvent))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(GuildCreateEvent))]
[JsonSerializable(typeof(DiscordChannel))]
[JsonSerializable(typeof(GuildRoleEvent))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(DiscordUser))]
[JsonSerializable(typeof(GatewayCommand<IdentifyData>))]
[JsonSerializable(typeof(GatewayCommand<ResumeData>))]
[JsonSerializable(typeof(GatewayCommand<int?>))]
[JsonSerializable(typeof(CreateMessageRequest))]
[JsonSerializable(typeof(RateLimitResponse))]
[JsonSerializable(typeof(DiscordErrorResponse))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
