using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

internal sealed record Choice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ResponseMessage? Message,
    [property: JsonPropertyName("delta"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ResponseMessage? Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);
