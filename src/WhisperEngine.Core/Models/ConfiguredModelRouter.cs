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
    private readonly RoutingOptions _routing;
    private readonly IModelHealth? _health;

    public ConfiguredModelRouter(string? defaultModel, IReadOnlyList<string> fallbackModels, RoutingOptions? routing = null, IModelHealth? health = null)
    {
        _defaultModel = string.IsNullOrWhiteSpace(defaultModel) ? null : defaultModel;
        _fallbacks = fallbackModels;
        _routing = routing ?? new RoutingOptions();
        _health = health;
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
        else if (_routing.Enabled && request.MessageText is { } message)
        {
            var need = StrongNeed(message);
            models.Add(need is null ? _routing.CheapModel! : _routing.StrongModel!);
            models.Add(need is null ? _routing.StrongModel! : _routing.CheapModel!);
            reason = need is null ? "simple message: cheap model" : $"message needs the strong model: {need}";
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

        if (_health is not null && models.Count > 1)
        {
            // A model whose circuit is open goes to the end of the chain: tried only if everything else fails.
            var sick = models.Select(m => (Model: m, Problem: _health.Problem(m))).Where(x => x.Problem is not null).ToList();
            if (sick.Count > 0 && sick.Count < models.Count)
            {
                models = [.. models.Except(sick.Select(s => s.Model)), .. sick.Select(s => s.Model)];
                reason += "; " + string.Join("; ", sick.Select(s => $"deferred {s.Model} ({s.Problem})"));
            }
        }

        if (models.Count == 0)
        {
            throw new TurnException(TurnErrorKind.NotConfigured,
                "No model is configured: set LLM_CHAT_MODEL (or llm.chat.model in the config file), or list models.preferred in the character file.");
        }

        return new ModelRoute(models, models.Count > 1 ? $"{reason}; fallbacks: {string.Join(", ", models.Skip(1))}" : reason);
    }

    private string? StrongNeed(string message)
    {
        if (message.Length >= _routing.StrongMinChars)
        {
            return $"{message.Length} characters";
        }

        var keyword = _routing.StrongKeywords.FirstOrDefault(k => message.Contains(k, StringComparison.OrdinalIgnoreCase));
        return keyword is null ? null : $"asks to '{keyword}'";
    }
}
