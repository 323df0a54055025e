using WhisperEngine.Core.Usage;

namespace WhisperEngine.AI.Chat;

/// <summary>An OpenAI-compatible endpoint and how to call it (config section <c>llm.chat</c>).</summary>
public sealed class ModelEndpointOptions
{
    /// <summary>Base URL ending in <c>/v1</c> (OpenRouter, OpenAI, Ollama, LM Studio, vLLM).</summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>API key; a secret, never logged. Empty for local servers that need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Longest wait for the first token of a reply.</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time for a whole reply.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries per model after the first attempt, on rate limits, server errors and dropped connections.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff delay; doubles each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A Retry-After longer than this fails over to the next model instead of waiting.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Prices per model in US dollars per million tokens, for the usage ledger.</summary>
    public Dictionary<string, ModelPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A short provider name for the ledger, from the endpoint's host.</summary>
    public string ProviderName => ApiUrl?.Host switch
    {
        null => "none",
        var h when h.EndsWith("openrouter.ai", StringComparison.OrdinalIgnoreCase) => "openrouter",
        var h when h.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase) => "openai",
        _ when ApiUrl.Port == 11434 => "ollama",
        _ when ApiUrl.Port == 1234 => "lmstudio",
        var h => h,
    };
}
