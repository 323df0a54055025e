using System.Diagnostics.CodeAnalysis;
using OpenAI.Chat;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// Reads the cost a provider reports for a call from the raw response: OpenRouter adds <c>usage.cost</c>
/// (US dollars) to the OpenAI usage object, in the final stream chunk and in whole responses.
/// </summary>
internal static class ProviderReportedCost
{
    /// <summary>The reported cost, or null when the response carries none (or a negative or non-numeric one).</summary>
    [SuppressMessage("Usage", "SCME0001", Justification = "JsonPatch is how the SDK exposes fields it does not model.")]
    public static decimal? From(object? rawRepresentation)
    {
        var usage = rawRepresentation switch
        {
            StreamingChatCompletionUpdate update => update.Usage,
            ChatCompletion completion => completion.Usage,
            _ => null,
        };
        if (usage is null)
        {
            return null;
        }

#pragma warning disable SCME0001
        return usage.Patch.TryGetValue("$.cost"u8, out decimal cost) && cost >= 0 ? cost : null;
#pragma warning restore SCME0001
    }
}
