using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

/// <summary>A message of the request; content is a string or an array of parts (only text parts are read).</summary>
internal sealed class RequestMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("content")]
    public JsonElement Content { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    public string? Text()
    {
        switch (Content.ValueKind)
        {
            case JsonValueKind.String:
                return Content.GetString();
            case JsonValueKind.Array:
                var sb = new StringBuilder();
                foreach (var part in Content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.GetString() == "text" &&
                        part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        if (sb.Length > 0)
                        {
                            sb.Append('\n');
                        }

                        sb.Append(text.GetString());
                    }
                }

                return sb.ToString();
            default:
                return null;
        }
    }
}
