using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>Where memory's embeddings come from (<c>ai.embeddings.*</c>).</summary>
/// <param name="Provider"><c>local</c> (MiniLM inside the package) or <c>openai</c> (an OpenAI-compatible <c>/embeddings</c> endpoint).</param>
/// <param name="Model">The model id (for <c>local</c> always all-MiniLM-L6-v2).</param>
/// <param name="ApiUrl">The endpoint for <c>openai</c> (default: <c>llm.chat.api_url</c>).</param>
/// <param name="ApiKey">Its key (default: <c>llm.chat.api_key</c>); a secret.</param>
/// <param name="Dimensions">The length of the model's vectors.</param>
/// <param name="Timeout">Longest wait for one request.</param>
public sealed record EmbeddingSettings(string Provider, string Model, Uri? ApiUrl, string? ApiKey, int Dimensions, TimeSpan Timeout)
{
    /// <summary>The local model's id as configured.</summary>
    public const string LocalModel = "all-MiniLM-L6-v2";

    /// <summary>The local model's arithmetic (<c>ai.embeddings.precision</c>); its vectors are stored under a model id of their own.</summary>
    public EmbeddingPrecision Precision { get; init; } = MiniLmEmbeddingGenerator.DefaultPrecision;

    /// <summary>Whether embeddings come from the local model.</summary>
    public bool IsLocal => Provider == "local";

    // The key must never reach a log or an exception message through the record's generated ToString.
    public override string ToString() => $"EmbeddingSettings {{ Provider = {Provider}, Model = {Model}, Precision = {Precision}, ApiUrl = {ApiUrl}, Dimensions = {Dimensions} }}";
}
