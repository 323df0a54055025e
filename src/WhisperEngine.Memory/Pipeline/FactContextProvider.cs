using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Recall;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Pipeline;

/// <summary>
/// The facts part of a turn's prompt: the bot's global facts and the speaker's own facts that the place allows
/// (<see cref="FactPromptBuilder"/>), in up to three sections (the character, what it told the person, the person).
/// </summary>
/// <remarks>Thread-safe. Two store reads per turn, no model call. A failing fact store costs the facts of this turn, not the turn.</remarks>
public sealed class FactContextProvider : ITurnContextProvider
{
    /// <summary>Order of the fact sections: after the short section on the person, before recalled memories.</summary>
    public const int FactsOrder = 20;

    private readonly FactPromptBuilder _builder;
    private readonly FactOptions _options;
    private readonly ITokenCounter _tokens;
    private readonly ILogger _logger;

    public FactContextProvider(FactPromptBuilder builder, FactOptions options, ITokenCounter tokens, ILogger<FactContextProvider> logger)
    {
        _builder = builder;
        _options = options;
        _tokens = tokens;
        _logger = logger;
    }

    public async ValueTask<IReadOnlyList<ContextSection>> GetSectionsAsync(TurnContextRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_options.MaxPromptTokens <= 0)
        {
            return [];
        }

        FactPrompt prompt;
        try
        {
            prompt = await _builder.BuildAsync(RecallScope.Of(request.Conversation, request.Privacy), _options.MaxPromptTokens, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FactLog.PromptFactsFailed(_logger, MemoryPartition.Of(request.Conversation).ToString(), ex);
            return [];
        }

        return prompt.Facts
            .GroupBy(FactPromptBuilder.Header)
            .Select((group, i) => new ContextSection(group.Key.TrimEnd(':'),
                group.Select(f => FactPromptBuilder.Line(f)).Select(line => new ContextLine(line, _tokens.CountTokens(line))).ToList())
            {
                Order = FactsOrder + i,
            })
            .ToList();
    }
}
