namespace WhisperEngine.Core.Models;

/// <summary>Keys the engine puts into <c>ChatOptions.AdditionalProperties</c> for its own chat-client pipeline; removed before a request leaves.</summary>
public static class ChatOptionKeys
{
    /// <summary>A <c>string[]</c> of models to try, in order, when the primary model fails.</summary>
    public const string FallbackModels = "whisperengine.fallback_models";

    /// <summary>Prefix of every engine-internal key.</summary>
    public const string Prefix = "whisperengine.";
}
