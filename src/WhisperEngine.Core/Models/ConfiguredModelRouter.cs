using WhisperEngine.Core.Turns;

namespace WhisperEngine.Core.Models;

/// <summary>
/// The desktop-tier policy: an explicit request wins; then the operator's configured model (the operator knows
/// what their endpoint serves); without one, the character's preferred models; then the configured fallbacks.
/// </summary>
public sealed class ConfiguredModelRouter : IModelRouter
{
    private readonly string? _defaultModel;
    private readonly IReadOnlyList<string> _fallbacks;

    public ConfiguredModelRouter(string? defaultModel, IReadOnlyList<string> fallbackModels)
    {
        _defaultModel = string.IsNullOrWhiteSpace(defaultModel) ? null : defaultModel;
        _fallbacks = fallbackModels;
    }

    public ModelRoute Route(ModelRequest request)
    {
        var models = new List<string>();
        string reason;
        if (!string.IsNullOrWhiteSpace(request.RequestedModel))
        {
            models.Add(request.RequestedModel);
            reason = "requested by the user";
        }
        else if (!string.IsNullOrWhiteSpace(request.BotModel))
        {
            models.Add(request.BotModel);
            reason = "the bot's model";
        }
        else if (_defaultModel is not null)
        {
            models.Add(_defaultModel);
            reason = "configured model";
        }
        else
        {
            models.AddRange(request.Character.PreferredModels);
            reason = $"preferred by character '{request.Character.Id}'";
        }

        foreach (var fallback in _fallbacks)
        {
            if (!models.Contains(fallback, StringComparer.Ordinal))
            {
                models.Add(fallback);
            }
        }

        if (models.Count == 0)
        {
            throw new TurnException(TurnErrorKind.NotConfigured,
                "No model is configured: set LLM_CHAT_MODEL (or llm.chat.model in the config file), or list models.preferred in the character file.");
        }

        return new ModelRoute(models, models.Count > 1 ? $"{reason}; fallbacks: {string.Join(", ", models.Skip(1))}" : reason);
    }
}
