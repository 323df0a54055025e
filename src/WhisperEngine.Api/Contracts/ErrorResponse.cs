using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

/// <summary>OpenAI's error shape: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed record ErrorResponse([property: JsonPropertyName("error")] ErrorBody Error);
