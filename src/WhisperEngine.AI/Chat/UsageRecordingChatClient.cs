using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// Records every call that reaches the provider (each retry and fallback attempt too) in the usage ledger:
/// tokens as the provider reports them (counted locally and marked estimated when it does not), cost as the
/// provider reports it (OpenRouter's <c>usage.cost</c>) or else from the price table, latency, time to first token and outcome.
/// </summary>
public sealed class UsageRecordingChatClient(
    IChatClient inner, IUsageLedger ledger, ITokenCounter tokens, ModelEndpointOptions endpoint, TimeProvider time, Core.Models.IModelHealth? health = null)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        ChatResponse? response = null;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
            return response;
        }
        catch (Exception ex)
        {
            outcome = ex is OperationCanceledException ? "cancelled" : ModelCallException.From(ex, options?.ModelId ?? "").Outcome;
            throw;
        }
        finally
        {
            await RecordAsync(messages, options, response?.Usage, ProviderReportedCost.From(response?.RawRepresentation), response?.Text ?? "",
                response?.ModelId, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        double? firstToken = null;
        UsageDetails? usage = null;
        decimal? reportedCost = null;
        string? model = null;
        var text = new StringBuilder();
        var outcome = "abandoned";
        try
        {
            await using var stream = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await stream.MoveNextAsync())
                    {
                        outcome = "ok";
                        break;
                    }
                }
                catch (Exception ex)
                {
                    outcome = ex is OperationCanceledException && cancellationToken.IsCancellationRequested
                        ? "cancelled"
                        : ModelCallException.From(ex, options?.ModelId ?? "").Outcome;
                    throw;
                }

                var update = stream.Current;
                model ??= update.ModelId;
                reportedCost = ProviderReportedCost.From(update.RawRepresentation) ?? reportedCost;
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        usage = u.Details;
                    }
                }

                if (!string.IsNullOrEmpty(update.Text))
                {
                    firstToken ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    text.Append(update.Text);
                }

                yield return update;
            }
        }
        finally
        {
            var recording = RecordAsync(messages, options, usage, reportedCost, text.ToString(), model, outcome,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, firstToken);
            if (options.GetEngineProperty<UsageContext>(UsageContext.PropertyName)?.Deferred is { } deferred)
            {
                // The caller waits for it with its own store calls (one round trip less on a turn's path).
                deferred.Add(recording);
            }
            else
            {
                await recording;
            }
        }
    }

    private async Task RecordAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, UsageDetails? usage, decimal? reportedCost, string reply,
        string? reportedModel, string outcome, double latencyMs, double? firstTokenMs)
    {
        var context = options.GetEngineProperty<UsageContext>(UsageContext.PropertyName);
        if (Core.Turns.WarmupTurns.IsWarmup(context?.TenantId))
        {
            // Answered in process (WarmupChatClient): no spend to record, and nothing learnt about the model's health.
            return;
        }

        var model = options?.ModelId ?? reportedModel ?? "unknown";
        if (outcome is not ("cancelled" or "abandoned"))
        {
            health?.Report(model, outcome == "ok");
        }

        var estimated = usage?.InputTokenCount is null || usage.OutputTokenCount is null;
        var prompt = (int?)usage?.InputTokenCount ??
            (outcome == "ok" || reply.Length > 0 ? context?.PromptTokens ?? messages.Sum(m => tokens.CountTokens(m.Text) + 4) : 0);
        var completion = (int?)usage?.OutputTokenCount ?? tokens.CountTokens(reply);
        var cached = (int?)usage?.CachedInputTokenCount ?? 0;
        // The provider's own figure wins: it knows discounts, cache pricing and the route it took.
        var (cost, source) = reportedCost is { } reported
            ? (reported, CostSources.Provider)
            : endpoint.Prices.TryGetValue(model, out var price) ? (price.Cost(prompt, completion), CostSources.PriceTable) : ((decimal?)null, (string?)null);
        await ledger.RecordAsync(new UsageRecord
        {
            Timestamp = time.GetUtcNow(),
            TenantId = context?.TenantId ?? "default",
            BotId = context?.BotId ?? "",
            UserId = context?.UserId ?? "",
            Task = context?.Task ?? "chat",
            Model = model,
            Provider = endpoint.ProviderName,
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedTokens = cached,
            TokensEstimated = estimated,
            CostUsd = cost,
            CostSource = source,
            LatencyMs = latencyMs,
            TimeToFirstTokenMs = firstTokenMs,
            Outcome = outcome,
            RoutingReason = context?.RoutingReason,
        }, CancellationToken.None);
    }
}
