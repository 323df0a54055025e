using WhisperEngine.Core.Characters;

namespace WhisperEngine.Core.Models;

/// <summary>What the router knows about a call when it picks a model.</summary>
/// <param name="Character">The character speaking.</param>
/// <param name="Task">The kind of work: <c>chat</c>, <c>facts</c>, <c>summary</c>.</param>
/// <param name="RequestedModel">A model the user asked for explicitly (terminal <c>/model</c>), if any.</param>
/// <param name="PromptTokens">Size of the prompt.</param>
public sealed record ModelRequest(Character Character, string Task, string? RequestedModel, int PromptTokens)
{
    /// <summary>The bot's own model setting, if any.</summary>
    public string? BotModel { get; init; }

    /// <summary>The user's message, for routing by what it needs.</summary>
    public string? MessageText { get; init; }
}
