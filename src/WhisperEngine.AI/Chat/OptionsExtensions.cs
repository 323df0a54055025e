using Microsoft.Extensions.AI;
using WhisperEngine.Core.Models;

namespace WhisperEngine.AI.Chat;

internal static class OptionsExtensions
{
    public static T? GetEngineProperty<T>(this ChatOptions? options, string key) where T : class =>
        options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? value as T : null;

    /// <summary>A copy of the options for <paramref name="model"/>.</summary>
    public static ChatOptions WithModel(this ChatOptions? options, string model)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.ModelId = model;
        return copy;
    }

    /// <summary>A copy without the engine's internal keys, safe to send to a provider.</summary>
    public static ChatOptions? WithoutEngineProperties(this ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties ||
            !properties.Keys.Any(k => k.StartsWith(ChatOptionKeys.Prefix, StringComparison.Ordinal)))
        {
            return options;
        }

        var copy = options.Clone();
        var kept = new AdditionalPropertiesDictionary();
        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith(ChatOptionKeys.Prefix, StringComparison.Ordinal))
            {
                kept[key] = value;
            }
        }

        copy.AdditionalProperties = kept.Count > 0 ? kept : null;
        return copy;
    }
}
