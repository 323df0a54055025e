using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace WhisperEngine.AI.Chat;

/// <summary>A call to a model endpoint failed. Carries the model, the HTTP status when there was one, and whether a retry may help.</summary>
public sealed class ModelCallException : Exception
{
    public ModelCallException(string message, string model, int? statusCode, bool isTransient, TimeSpan? retryAfter, string outcome, Exception? innerException = null)
        : base(message, innerException)
    {
        Model = model;
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
        Outcome = outcome;
    }

    public ModelCallException()
        : this("The model call failed.", "", null, false, null, "error")
    {
    }

    public ModelCallException(string message)
        : this(message, "", null, false, null, "error")
    {
    }

    public ModelCallException(string message, Exception innerException)
        : this(message, "", null, false, null, "error", innerException)
    {
    }

    public string Model { get; }

    public int? StatusCode { get; }

    /// <summary>True for rate limits, server errors, timeouts, dropped connections and garbled responses.</summary>
    public bool IsTransient { get; }

    /// <summary>How long the provider asked us to wait (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Short failure kind for the usage ledger: <c>http_429</c>, <c>timeout</c>, <c>stream_dropped</c>, ...</summary>
    public string Outcome { get; }

    /// <summary>Classifies any exception from an OpenAI-compatible client. Never includes request headers (keys) in the message.</summary>
    public static ModelCallException From(Exception exception, string model)
    {
        switch (exception)
        {
            case ModelCallException already:
                return already;
            case ClientResultException result when result.Status > 0:
                var status = result.Status;
                var transient = status is 408 or 409 or 425 or 429 or >= 500;
                return new ModelCallException(
                    $"The model endpoint answered HTTP {status} for model '{model}'{Describe(status)}.",
                    model, status, transient, ReadRetryAfter(result), $"http_{status}", exception);
            case ClientResultException:
            case HttpRequestException:
                return new ModelCallException($"Cannot reach the model endpoint for model '{model}': {exception.Message}",
                    model, null, true, null, "unreachable", exception);
            case IOException:
                return new ModelCallException($"The connection to the model endpoint dropped while '{model}' was answering.",
                    model, null, true, null, "stream_dropped", exception);
            case JsonException or FormatException:
                return new ModelCallException($"The model endpoint sent a malformed response for model '{model}'.",
                    model, null, true, null, "malformed_response", exception);
            case TimeoutException:
                return new ModelCallException(exception.Message, model, null, true, null, "timeout", exception);
            default:
                return new ModelCallException($"The call to model '{model}' failed: {exception.Message}", model, null, false, null, "error", exception);
        }
    }

    private static string Describe(int status) => status switch
    {
        401 or 403 => " (the API key was refused: check LLM_CHAT_API_KEY)",
        404 => " (unknown model or wrong URL: check LLM_CHAT_MODEL and LLM_CHAT_API_URL)",
        429 => " (rate limited)",
        >= 500 => " (provider error)",
        _ => "",
    };

    private static TimeSpan? ReadRetryAfter(ClientResultException exception)
    {
        var response = exception.GetRawResponse();
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    internal static bool IsHttpStatus(Exception exception, HttpStatusCode status) =>
        exception is ClientResultException result && result.Status == (int)status;
}
