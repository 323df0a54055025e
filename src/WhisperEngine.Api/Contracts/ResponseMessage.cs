using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

internal sealed record ResponseMessage(
    [property: JsonPropertyName("role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);
