using System.Net;
using System.Text;
using System.Text.Json;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// The model of serve's warm-up turns, at the HTTP level: answers OpenAI chat-completion requests in memory (a
/// server-sent event stream, or one JSON completion), so that a warm-up call runs the provider client's whole request
/// and response path without a request leaving the process.
/// </summary>
/// <remarks>Thread-safe. The reply repeats the request's last user message inside a fixed sentence.</remarks>
internal sealed class WarmupModelHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken));
        var root = body.RootElement;
        var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? WarmupChatClient.ModelId : WarmupChatClient.ModelId;
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var text = WarmupChatClient.ChatAnswer(LastUserText(root));
        var promptTokens = WarmupChatClient.RoughTokens(root.TryGetProperty("messages", out var messages) ? messages.GetRawText() : "");
        var completionTokens = WarmupChatClient.RoughTokens(text);
        var usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens };
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Id = "chatcmpl-warmup";
        string content;
        string mediaType;
        if (stream)
        {
            var events = new StringBuilder();
            void Event(object data) => events.Append("data: ").Append(JsonSerializer.Serialize(data)).Append("\n\n");
            var words = text.Split(' ');
            for (var i = 0; i < words.Length; i += 3)
            {
                var chunk = string.Join(' ', words.Skip(i).Take(3));
                Event(new
                {
                    id = Id, @object = "chat.completion.chunk", created, model,
                    choices = new[] { new { index = 0, delta = new { role = "assistant", content = i == 0 ? chunk : " " + chunk }, finish_reason = (string?)null } },
                });
            }

            Event(new { id = Id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } });
            Event(new { id = Id, @object = "chat.completion.chunk", created, model, choices = Array.Empty<object>(), usage });
            events.Append("data: [DONE]\n\n");
            (content, mediaType) = (events.ToString(), "text/event-stream");
        }
        else
        {
            content = JsonSerializer.Serialize(new
            {
                id = Id, @object = "chat.completion", created, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
                usage,
            });
            mediaType = "application/json";
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(content, Encoding.UTF8, mediaType),
            RequestMessage = request,
        };
    }

    private static string LastUserText(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var last = "";
        foreach (var message in messages.EnumerateArray())
        {
            if (message.TryGetProperty("role", out var role) && role.GetString() == "user" && message.TryGetProperty("content", out var content))
            {
                last = content.ValueKind == JsonValueKind.String ? content.GetString() ?? "" : content.GetRawText();
            }
        }

        return last;
    }
}
