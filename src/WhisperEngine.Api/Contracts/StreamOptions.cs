using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

internal sealed class StreamOptions
{
    [JsonPropertyName("include_usage")]
    public bool IncludeUsage { get; set; }
}
