using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private const string ApiPrefix = "/api/v10";
    private const int ContentLimit = 2000;

    private readonly List<SimulatedRestRequest> _requests = [];
    private readonly List<PostedMessage> _messages = [];
    private readonly Dictionary<string, JsonObject> _nonces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private DateTimeOffset _globalBlockedUntil;

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
            ("POST", [_, var channel, "messages"]) => CreateMessage(channel, request),
            _ => new RestAnswer(204, null),
        };
        return answer with { Headers = [.. BucketHeaders(r.Hash, r.Major, r.Limit), .. answer.Headers] };
    }

    /// <summary>Rate limits and injected faults, in the order Discord applies them; null admits the request. Holds _lock.</summary>
    private RestAnswer? Admit(SimulatedRestRequest request, string hash, string major, int limit)
    {
        var now = request.ReceivedAt;
        while (_globalWindow.Count > 0 && now - _globalWindow.Peek() >= TimeSpan.FromSeconds(1))
        {
            _globalWindow.Dequeue();
        }

        if (now < _globalBlockedUntil)
        {
            return RateLimited(global: true, _globalBlockedUntil - now, hash, major, limit);
        }

        if (_globalWindow.Count >= Options.GlobalLimitPerSecond)
        {
            return RateLimited(global: true, _globalWindow.Peek() + TimeSpan.FromSeconds(1) - now, hash, major, limit);
        }

        _globalWindow.Enqueue(now);
        var bucket = Bucket(hash, major, limit, now);
        if (now < bucket.BlockedUntil)
        {
            return RateLimited(global: false, bucket.BlockedUntil - now, hash, major, limit);
        }

        if (bucket.Remaining <= 0)
        {
            return RateLimited(global: false, bucket.ResetAt - now, hash, major, limit);
        }

        var failure = _pending5xx.FindIndex(f => f.PathContains is null || request.Path.Contains(f.PathContains, StringComparison.Ordinal));
        if (failure >= 0)
        {
            var status = _pending5xx[failure].Status;
            _pending5xx.RemoveAt(failure);
            request.Injected = true;
            return RestAnswer.Error(status, status + ": Simulated server error", 0);
        }

        var limited = _pending429.FindIndex(f => f.PathContains is null || request.Path.Contains(f.PathContains, StringComparison.Ordinal));
        if (limited >= 0)
        {
            var (scope, retryAfter, _) = _pending429[limited];
            _pending429.RemoveAt(limited);
            request.Injected = true;
            if (scope == SimulatedRateLimitScope.Global)
            {
                _globalBlockedUntil = now + retryAfter;
            }
            else
            {
                bucket.BlockedUntil = now + retryAfter;
            }

            return RateLimited(scope == SimulatedRateLimitScope.Global, retryAfter, hash, major, limit);
        }

        bucket.Remaining--;
        return null;
    }

    private SimulatedBucket Bucket(string hash, string major, int limit, DateTimeOffset now)
    {
        var key = hash + ":" + major;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new SimulatedBucket { Remaining = limit, ResetAt = now + Options.RouteResetAfter };
            _buckets[key] = bucket;
        }
        else if (now >= bucket.ResetAt)
        {
            bucket.Remaining = limit;
            bucket.ResetAt = now + Options.RouteResetAfter;
        }

        return bucket;
    }

    private RestAnswer RateLimited(bool global, TimeSpan retryAfter, string hash, string major, int limit)
    {
        var seconds = Math.Ceiling(retryAfter.TotalMilliseconds) / 1000;
        var body = new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = seconds,
            ["global"] = global,
        };
        List<(string, string)> headers =
        [
            ("Retry-After", Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture)),
            ("X-RateLimit-Scope", global ? "global" : "user"),
        ];
        if (global)
        {
            headers.Add(("X-RateLimit-Global", "true"));
        }
        else
        {
            headers.Add(("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture)));
            headers.Add(("X-RateLimit-Remaining", "0"));
            headers.Add(("X-RateLimit-Reset-After", seconds.ToString("0.000", CultureInfo.InvariantCulture)));
            headers.Add(("X-RateLimit-Bucket", hash));
        }

        return new RestAnswer(429, body) { Headers = headers };
    }

    /// <summary>The bucket headers of an admitted request. Holds no lock; reads a consistent-enough snapshot.</summary>
    private List<(string, string)> BucketHeaders(string hash, string major, int limit)
    {
        lock (_lock)
        {
            var bucket = _buckets[hash + ":" + major];
            var resetAfter = Math.Max(0, Math.Ceiling((bucket.ResetAt - DateTimeOffset.UtcNow).TotalMilliseconds) / 1000);
            return
            [
                ("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture)),
                ("X-RateLimit-Remaining", bucket.Remaining.ToString(CultureInfo.InvariantCulture)),
                ("X-RateLimit-Reset", (bucket.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)),
                ("X-RateLimit-Reset-After", resetAfter.ToString("0.000", CultureInfo.InvariantCulture)),
                ("X-RateLimit-Bucket", hash),
            ];
        }
    }

    private RestAnswer GatewayBot() => RestAnswer.Ok(new JsonObject
    {
        ["url"] = GatewayUrl.AbsoluteUri.TrimEnd('/'),
        ["shards"] = Options.RecommendedShards,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = Options.SessionStartTotal,
            ["remaining"] = SessionStartRemaining,
            ["reset_after"] = 14_400_000,
            ["max_concurrency"] = Options.MaxConcurrency,
        },
    });

    private JsonObject BotUser() => new()
    {
        ["id"] = Options.BotUserId,
        ["username"] = Options.BotUsername,
        ["global_name"] = null,
        ["bot"] = true,
    };

    private RestAnswer CreateMessage(string channelId, SimulatedRestRequest request)
    {
        if (request.Json is not { ValueKind: JsonValueKind.Object } json
            || !json.TryGetProperty("content", out var contentElement)
            || contentElement.ValueKind != JsonValueKind.String
            || contentElement.GetString() is not { Length: > 0 and <= ContentLimit } content
            || string.IsNullOrWhiteSpace(content))
        {
            return RestAnswer.Error(400, "Invalid Form Body", 50035);
        }

        var nonce = json.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var enforceNonce = json.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True;
        var replyTo = json.TryGetProperty("message_reference", out var reference) && reference.ValueKind == JsonValueKind.Object
            && reference.TryGetProperty("message_id", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()
            : null;

        lock (_lock)
        {
            if (enforceNonce && nonce is not null && _nonces.TryGetValue(nonce, out var existing))
            {
                return RestAnswer.Ok((JsonObject)existing.DeepClone());
            }

            var id = NextSnowflake();
            var message = new JsonObject
            {
                ["id"] = id,
                ["channel_id"] = channelId,
                ["author"] = BotUser(),
                ["content"] = content,
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["type"] = replyTo is null ? 0 : 19,
                ["mentions"] = new JsonArray(),
                ["mention_everyone"] = false,
            };
            if (replyTo is not null)
            {
                message["message_reference"] = new JsonObject { ["message_id"] = replyTo, ["channel_id"] = channelId };
            }

            if (nonce is not null)
            {
                message["nonce"] = nonce;
                _nonces[nonce] = message;
            }

            _messages.Add(new PostedMessage(id, channelId, content, replyTo, nonce, DateTimeOffset.UtcNow));
            return RestAnswer.Ok((JsonObject)message.DeepClone());
        }
    }

    private sealed record RestAnswer(int Status, JsonObject? Body)
    {
        public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

        public static RestAnswer Ok(JsonObject body) => new(200, body);

        public static RestAnswer Error(int status, string message, int code) =>
            new(status, new JsonObject { ["message"] = message, ["code"] = code });
    }
}
