using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

internal sealed record ModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelInfo> Data);
