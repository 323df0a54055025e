using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Rest;

public sealed partial class DiscordRestClient
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sends one request within the rate limits. The bucket is held from before the first attempt until the answer,
    /// so requests of a bucket go out one at a time and in order, and none while it is exhausted or after a 429
    /// before the wait Discord asked for.
    /// </summary>
    private async Task<T?> SendAsync<T>(RouteKey route, string path, byte[]? body, JsonTypeInfo<T>? responseType, CancellationToken cancellationToken)
    {
        var bucket = _limiter.BucketFor(route);
        await bucket.Gate.WaitAsync(cancellationToken);
        try
        {
            var failures = 0;
            var rateLimits = 0;
            while (true)
            {
                await WaitForCapacityAsync(route, bucket, cancellationToken);

                HttpResponseMessage response;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(_options.RequestTimeout);
                    try
                    {
                        using var request = BuildRequest(route.Method, path, body);
                        response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException
                        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        var reason = ex is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s" : ex.Message;
                        if (failures >= _options.MaxRetries)
                        {
                            throw new DiscordException($"Cannot reach Discord for {route.Method} {path}: {reason}.", isTransient: true, innerException: ex);
                        }

                        var delay = Backoff(failures++);
                        RestLog.NetworkRetry(_logger, route.Method, path, reason, failures, _options.MaxRetries, delay.TotalMilliseconds);
                        await Task.Delay(delay, _options.TimeProvider, cancellationToken);
                        continue;
                    }
                }

                using (response)
                {
                    var headers = RateLimitHeaders.From(response.Headers);
                    _limiter.Update(route, bucket, headers);
                    var status = (int)response.StatusCode;

                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        var wait = await OnRateLimitedAsync(route, path, bucket, headers, response, cancellationToken);
                        if (++rateLimits > _options.MaxRateLimitRetries || wait > _options.MaxRateLimitWait)
                        {
                            throw new DiscordException(
                                $"Discord keeps rate limiting {route.Method} {path} (asked to wait {wait.TotalSeconds:0.###} s).",
                                isTransient: true, statusCode: 429);
                        }

                        continue;
                    }

                    if (status >= 500)
                    {
                        if (failures >= _options.MaxRetries)
                        {
                            throw new DiscordException(
                                $"Discord answered HTTP {status} for {route.Method} {path} {failures + 1} times; Discord may be having an outage.",
                                isTransient: true, statusCode: status);
                        }

                        var delay = Backoff(failures++);
                        RestLog.ServerErrorRetry(_logger, status, route.Method, path, failures, _options.MaxRetries, delay.TotalMilliseconds);
                        await Task.Delay(delay, _options.TimeProvider, cancellationToken);
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw await DescribeFailureAsync(route, path, response, cancellationToken);
                    }

                    if (responseType is null || response.StatusCode == HttpStatusCode.NoContent)
                    {
                        return default;
                    }

                    try
                    {
                        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                            ?? throw new JsonException("The body was null.");
                    }
                    catch (JsonException ex)
                    {
                        throw new DiscordException($"Discord sent a malformed answer to {route.Method} {path}.", isTransient: true, statusCode: status, innerException: ex);
                    }
                }
            }
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    private async Task WaitForCapacityAsync(RouteKey route, RateLimitBucket bucket, CancellationToken cancellationToken)
    {
        // A loop, because a timer may fire a hair early and the reset time may move (a 429 while we waited).
        for (var wait = _limiter.WaitTime(bucket); wait > TimeSpan.Zero; wait = _limiter.WaitTime(bucket))
        {
            RestLog.BucketWait(_logger, bucket.Hash ?? route.Route, route.MajorParameter, wait.TotalMilliseconds);
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), _options.TimeProvider, cancellationToken);
        }

        var waited = await _limiter.Global.AcquireAsync(cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            RestLog.GlobalWait(_logger, route.Method, route.Template, waited.TotalMilliseconds);
        }
    }

    /// <summary>Records a 429 where it applies (the bucket or everything) and returns the wait asked for.</summary>
    private async Task<TimeSpan> OnRateLimitedAsync(RouteKey route, string path, RateLimitBucket bucket, RateLimitHeaders headers, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        RateLimitResponse? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync(DiscordJsonContext.Default.RateLimitResponse, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Cloudflare answers 429 with HTML; the Retry-After header still holds.
        }

        var fromBody = body is { RetryAfter: > 0 and var seconds } && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        // The body's retry_after is exact; the Retry-After header is the same wait rounded up to whole seconds.
        var wait = fromBody ?? headers.RetryAfter ?? DefaultRetryAfter;
        var global = headers.Global || body?.Global == true || headers.Scope == "global";
        if (global)
        {
            _limiter.Global.Block(wait);
        }
        else
        {
            _limiter.Exhaust(bucket, wait);
        }

        RestLog.RateLimited(_logger, route.Method, path, global ? "global" : headers.Scope ?? "user", wait.TotalMilliseconds);
        return wait;
    }

    private HttpRequestMessage BuildRequest(string method, string path, byte[]? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), _baseUrl + path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _options.Token);
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    private async Task<DiscordException> DescribeFailureAsync(RouteKey route, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        DiscordErrorResponse? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(DiscordJsonContext.Default.DiscordErrorResponse, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not Discord's JSON error shape; the status says enough.
        }

        var detail = error is { Message.Length: > 0 } ? $", Discord error {error.Code}: {error.Message}" : "";
        var request = $"{route.Method} {path}";
        var message = status switch
        {
            401 => $"Discord rejected the bot token (HTTP 401 on {request}): check {_options.TokenSettingName}; copy it again from the Developer Portal (Bot, Reset Token).",
            403 => $"Discord refused {request} (HTTP 403{detail}): the bot lacks a permission there; give it View Channel, Send Messages and Read Message History in that channel.",
            404 => $"Discord does not know {request} (HTTP 404{detail}): the channel or message is gone, or the bot cannot see it.",
            _ => $"Discord refused {request} (HTTP {status}{detail}).",
        };
        return new DiscordException(message, isTransient: false, statusCode: status);
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = _options.RetryBaseDelay * Math.Pow(2, failures) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return delay > MaxBackoff ? MaxBackoff : delay;
    }
}
