using System.Text.Json;

namespace WhisperEngine.Testing;

/// <summary>A request received by <see cref="FakeOpenAiServer"/>, as it arrived on the wire.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(
        int sequence,
        string method,
        string path,
        IReadOnlyDictionary<string, string> headers,
        string body,
        DateTimeOffset receivedAt)
    {
        Sequence = sequence;
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
        ReceivedAt = receivedAt;
        Authorization = headers.TryGetValue("Authorization", out var authorization) ? authorization : null;

        if (body.Length == 0)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            Json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }

        if (Json is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }

        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            Model = model.GetString();
        }

        Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        IncludeUsage = root.TryGetProperty("stream_options", out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var includeUsage)
            && includeUsage.ValueKind == JsonValueKind.True;

        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            var list = new List<RecordedMessage>(messages.GetArrayLength());
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String
                    ? r.GetString() ?? string.Empty
                    : string.Empty;
                var content = message.TryGetProperty("content", out var c) ? ReadContent(c) : null;
                list.Add(new RecordedMessage(role, content));
            }

            Messages = list;
        }
    }

    /// <summary>1-based order of arrival among all requests this server received.</summary>
    public int Sequence { get; }

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The request path, e.g. <c>/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>Every request header; multiple values are joined with a comma.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The <c>Authorization</c> header, e.g. <c>Bearer test</c>, or <see langword="null"/>.</summary>
    public string? Authorization { get; }

    /// <summary>The raw request body (empty for a request without one).</summary>
    public string Body { get; }

    /// <summary>The parsed body, or <see langword="null"/> when it is empty or not valid JSON.</summary>
    public JsonElement? Json { get; }

    /// <summary>The <c>model</c> field of the body.</summary>
    public string? Model { get; }

    /// <summary>Whether the body had <c>"stream": true</c>.</summary>
    public bool Stream { get; }

    /// <summary>Whether the body had <c>"stream_options": {"include_usage": true}</c>.</summary>
    public bool IncludeUsage { get; }

    /// <summary>The <c>messages</c> array of the body, as (role, content) pairs.</summary>
    public IReadOnlyList<RecordedMessage> Messages { get; } = [];

    /// <summary>When the server finished reading the request.</summary>
    public DateTimeOffset ReceivedAt { get; }

    private static string? ReadContent(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var text = new System.Text.StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object
                        && part.TryGetProperty("text", out var partText)
                        && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                return null;
        }
    }
}
