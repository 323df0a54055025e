using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Core.Budgets;

/// <summary>
/// Holds the model calls of background work (fact extraction, consolidation summaries) to the same spending limits as
/// turns: before a call its worst-case cost is reserved against the bot's and tenant's counters (<see cref="BudgetGuard"/>),
/// moved to the cheaper model near a limit, refused at the limit (<see cref="Turns.TurnException"/> with
/// <see cref="Turns.TurnErrorKind.BudgetExhausted"/>: the job fails and is tried again later), and settled to the real cost after.
/// </summary>
/// <remarks>
/// Which bot a call is for comes from its <see cref="UsageContext"/>; a call without one, or for a bot this deployment
/// does not know, passes through. The turn pipeline reserves its own calls and does not use this client.
/// </remarks>
public sealed class BudgetedChatClient(IChatClient inner, BudgetGuard budget, IBotDirectory bots, ITokenCounter tokens) : DelegatingChatClient(inner)
{
    /// <summary>The output a reservation assumes when the call sets no <see cref="ChatOptions.MaxOutputTokens"/>.</summary>
    public const int DefaultMaxOutputTokens = 1024;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        if (await ReserveAsync(list, options, cancellationToken) is not { } reserved)
        {
            return await base.GetResponseAsync(list, options, cancellationToken);
        }

        var (reservation, called) = reserved;
        ChatResponse? response = null;
        try
        {
            response = await base.GetResponseAsync(list, called, cancellationToken);
            return response;
        }
        finally
        {
            await SettleAsync(reservation, called, list, response?.ModelId, response?.Usage);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var reserved = await ReserveAsync(list, options, cancellationToken);
        var called = reserved?.Options ?? options;
        UsageDetails? usage = null;
        string? model = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, called, cancellationToken))
            {
                model ??= update.ModelId;
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        usage = u.Details;
                    }
                }

                yield return update;
            }
        }
        finally
        {
            if (reserved is { } r)
            {
                await SettleAsync(r.Reservation, called, list, model, usage);
            }
        }
    }

    private async ValueTask<(BudgetReservation Reservation, ChatOptions Options)?> ReserveAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        if (options?.ModelId is not { } model
            || options.AdditionalProperties?.TryGetValue(UsageContext.PropertyName, out var value) != true
            || value is not UsageContext usage
            || bots.Find(usage.BotId) is not { } bot)
        {
            return null;
        }

        var prompt = usage.PromptTokens ?? PromptTokens(messages);
        var reservation = await budget.ReserveAsync(bot, model, prompt, options.MaxOutputTokens ?? DefaultMaxOutputTokens, cancellationToken);
        var called = options;
        if (reservation.Model != model)
        {
            // Near the limit: the cheaper model, as a turn would get.
            called = options.Clone();
            called.ModelId = reservation.Model;
        }

        return (reservation, called);
    }

    private async ValueTask SettleAsync(BudgetReservation reservation, ChatOptions? called, IReadOnlyList<ChatMessage> messages, string? model,
        UsageDetails? usage)
    {
        // A call that failed before the provider answered cost nothing; one without reported usage is priced by the engine's count.
        var prompt = (int)(usage?.InputTokenCount ?? (model is null ? 0 : PromptTokens(messages)));
        var completion = (int)(usage?.OutputTokenCount ?? 0);
        await budget.SettleAsync(reservation, model ?? called?.ModelId ?? reservation.Model, prompt, completion, CancellationToken.None);
    }

    private int PromptTokens(IReadOnlyList<ChatMessage> messages) => messages.Sum(m => tokens.CountTokens(m.Text) + 4);
}
