using System.Text.Json;

namespace WhisperEngine.Discord.Model;

/// <summary>A frame received from the gateway.</summary>
internal sealed record GatewayPayload
{
    public int Op { get; init; }

    public JsonElement D { get; init; }

    public int? S { get; init; }

    public string? T { get; init; }
}
