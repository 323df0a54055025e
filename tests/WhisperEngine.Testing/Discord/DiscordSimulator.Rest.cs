using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private const string ApiPrefix = "/api/v10";
    private readonly List<SimulatedRestRequest> _requests = [];
    private readonly List<PostedMessage> _messages = [];

    /// <summary>Every REST request so far, in order of arrival, with the status answered.</summary>
    public IReadOnlyList<SimulatedRestRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The messages the bot created, in order.</summary>
    public IReadOnlyList<PostedMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>How many typing indicators the bot triggered in <paramref name="channelId"/> (accepted ones).</summary>
    public int TypingCount(string channelId) =>
        Requests.Count(r => r.Path == $"/channels/{channelId}/typing" && r.StatusCode == 204);

    private async Task HandleRestAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = linked.Token;
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        var fullPath = request.Path.Value ?? "";
        var path = fullPath.StartsWith(ApiPrefix + "/", StringComparison.Ordinal) ? fullPath[ApiPrefix.Length..] : fullPath;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        SimulatedRestRequest recorded;
        lock (_lock)
        {
            recorded = new SimulatedRestRequest(_requests.Count + 1, request.Method, path, headers, body, DateTimeOffset.UtcNow);
            _requests.Add(recorded);
        }

        var answer = Answer(recorded, fullPath, request.Headers.Authorization.ToString());
        recorded.StatusCode = answer.Status;
        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(answer.Body.ToJsonString());
            response.ContentType = "application/json";
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, cancellationToken);
        }
    }

    private RestAnswer Answer(SimulatedRestRequest request, string fullPath, string authorization)
    {
        if (!fullPath.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
        {
            return RestAnswer.Error(404, "404: Not Found", 0);
        }

        if (authorization != "Bot " + Options.Token)
        {
            return RestAnswer.Error(401, "401: Unauthorized", 0);
        }

        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        (string Hash, string Major, int Limit)? route = (request.Method, segments) switch
        {
            ("GET", ["gateway", "bot"]) => ("sim-gateway-bot", "-", 50),
            ("GET", ["users", "@me"]) => ("sim-users-me", "-", 50),
            ("GET", ["channels", var channel]) => ("sim-get-channel", channel, 50),
            ("POST", ["channels", var channel, "messages"]) => ("sim-create-message", channel, Options.MessageRouteLimit),
            ("POST", ["channels", var channel, "typing"]) => ("sim-typing", channel, Options.MessageRouteLimit),
            _ => null,
        };
        if (route is not { } r)
        {
            return RestAnswer.Error(404, "404: Not Found", 0);
        }

        lock (_lock)
        {
            if (Admit(request, r.Hash, r.Major, r.Limit) is { } refusal)
            {
                return refusal;
            }
        }

        var answer = (request.Method, segments) switch
        {
            ("GET", ["gateway", "bot"]) => GatewayBot(),
            ("GET", ["users", "@me"]) => RestAnswer.Ok(BotUser()),
            ("GET", ["channels", var channel]) => GetChannel(channel),
            ("POST", [_, var channel, "messages"]) => CreateMessage(channel, request),
            _ => new RestAnswer(204, null),
        };
        return answer with { Headers = [.. BucketHeaders(r.Hash, r.Major, r.Limit), .. answer.Headers] };
    }

    private sealed record RestAnswer(int Status, JsonObject? Body)
    {
        public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

        public static RestAnswer Ok(JsonObject body) => new(200, body);

        public static RestAnswer Error(int status, string message, int code) =>
            new(status, new JsonObject { ["message"] = message, ["code"] = code });
    }
}
