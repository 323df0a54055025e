using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

/// <summary>The answer to <c>DELETE /v1/users/{id}/data</c>.</summary>
internal sealed record ErasureResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("bot")] string? Bot,
    [property: JsonPropertyName("tables")] IReadOnlyList<ErasedTable> Tables,
    [property: JsonPropertyName("conversations")] int Conversations,
    [property: JsonPropertyName("storage")] IReadOnlyList<string> Storage,
    [property: JsonPropertyName("elapsed_ms")] double ElapsedMs);
