using System.Text.Json;

namespace WhisperEngine.Testing.Discord;

/// <summary>A frame the client sent on the gateway.</summary>
/// <param name="ConnectionNumber">The 1-based connection it came on.</param>
/// <param name="Op">Its opcode.</param>
/// <param name="Json">The whole payload.</param>
/// <param name="ReceivedAt">When it arrived.</param>
public sealed record GatewayFrameRecord(int ConnectionNumber, int Op, JsonElement Json, DateTimeOffset ReceivedAt)
{
    /// <summary>The <c>d</c> field.</summary>
    public JsonElement Data => Json.TryGetProperty("d", out var d) ? d : default;
}
