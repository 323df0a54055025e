using System.Text.Json;

namespace WhisperEngine.Testing.Discord;

/// <summary>A REST request the simulator received, with what it answered.</summary>
public sealed class SimulatedRestRequest
{
    internal SimulatedRestRequest(int sequence, string method, string path, IReadOnlyDictionary<string, string> headers, string body, DateTimeOffset receivedAt)
    {
        Sequence = sequence;
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
        ReceivedAt = receivedAt;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                Json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Recorded as sent.
            }
        }
    }

    /// <summary>1-based arrival order.</summary>
    public int Sequence { get; }

    public string Method { get; }

    /// <summary>The path below the API base, e.g. <c>/channels/1/messages</c>.</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public string Body { get; }

    public JsonElement? Json { get; }

    /// <summary>When the request arrived (wall clock).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The status answered.</summary>
    public int StatusCode { get; internal set; }

    /// <summary>True when the answer was a fault the test asked for (<c>Return429</c>, <c>Return5xx</c>) rather than the client's doing.</summary>
    public bool Injected { get; internal set; }

    /// <summary>The route: method and path, e.g. <c>POST /channels/1/messages</c>.</summary>
    public override string ToString() => $"{Method} {Path} -> {StatusCode}";
}
