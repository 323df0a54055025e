using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

internal sealed record HealthReport(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, string> Checks);
