using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Budgets;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Input;
using WhisperEngine.Core.Models;
using WhisperEngine.Core.Recall;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Core.Turns;

/// <summary>
/// One turn, end to end: validate the input, store it (from then on it is never lost), gather context sections
/// (recalled memories, relationship: <see cref="ITurnContextProvider"/>s, in parallel with the store calls, never
/// failing the turn), assemble the context under the token budget, call the model through the
/// <see cref="IChatClient"/> pipeline, stream the reply while scanning it for system-prompt leakage, store the reply,
/// and tell the <see cref="ITurnObserver"/>s (which queue the post-turn work: memory writes, facts).
/// </summary>
/// <remarks>Thread-safe. Turns of one conversation are serialised by the <see cref="ITurnDispatcher"/>.</remarks>
public sealed partial class TurnPipeline
{
    private readonly ICharacterCatalog _characters;
    private readonly IConversationStore _store;
    private readonly IChatClient _chat;
    private readonly IModelRouter _router;
    private readonly ITokenCounter _tokens;
    private readonly ITurnDispatcher _dispatcher;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly InputValidator _validator;
    private readonly ContextAssembler _assembler;
    private readonly ConditionalWeakTable<Character, PreparedPrompt> _prompts = [];
    private readonly TurnMetrics? _metrics;
    private readonly IBotDirectory _bots;
    private readonly BudgetGuard? _budget;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _botLimits = new(StringComparer.Ordinal);
    private readonly TurnContextGatherer _context;

    public TurnPipeline(
        ICharacterCatalog characters,
        IConversationStore store,
        IChatClient chat,
        IModelRouter router,
        ITokenCounter tokens,
        ITurnDispatcher dispatcher,
        EngineOptions options,
        ILogger<TurnPipeline> logger,
        TurnMetrics? metrics = null,
        IBotDirectory? bots = null,
        BudgetGuard? budget = null,
        IEnumerable<ITurnContextProvider>? contextProviders = null,
        IEnumerable<ITurnObserver>? observers = null,
        TurnContextOptions? contextOptions = null,
        TimeProvider? time = null)
    {
        var providers = contextProviders?.ToArray() ?? [];
        var watchers = observers?.ToArray() ?? [];
        _context = providers.Length == 0 && watchers.Length == 0
            ? TurnContextGatherer.None
            : new TurnContextGatherer(providers, watchers, contextOptions ?? new TurnContextOptions(), time ?? TimeProvider.System, logger);
        _budget = budget;
        _metrics = metrics;
        _bots = bots ?? new BotDirectory([], characters);
        _characters = characters;
        _store = store;
        _chat = chat;
        _router = router;
        _tokens = tokens;
        _dispatcher = dispatcher;
        _options = options;
        _logger = logger;
        _validator = new InputValidator(options.MaxInputChars);
        _assembler = new ContextAssembler(tokens);
    }

    /// <summary>Runs a turn and returns the whole reply.</summary>
    public async Task<TurnResult> RunAsync(TurnRequest request, CancellationToken cancellationToken = default)
    {
        TurnResult? result = null;
        await foreach (var update in StreamAsync(request, cancellationToken))
        {
            result = update.Result ?? result;
        }

        return result ?? throw new TurnException(TurnErrorKind.ModelUnavailable, "The turn ended without a result.");
    }

    /// <summary>
    /// Runs a turn, yielding reply text as it arrives and a final update carrying the <see cref="TurnResult"/>.
    /// Cancelling stores the part of the reply already streamed, flagged as interrupted.
    /// </summary>
    public async IAsyncEnumerable<TurnUpdate> StreamAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        TimeSpan? firstToken = null;
        var outcome = "error";
        var promptTokens = 0;
        try
        {
            await foreach (var update in StreamCoreAsync(request, cancellationToken))
            {
                if (update.Text is not null)
                {
                    firstToken ??= Stopwatch.GetElapsedTime(started);
                }

                if (update.Result is { } result)
                {
                    outcome = result.FinishReason == "content_filter" ? "leak_blocked" : "ok";
                    promptTokens = result.PromptTokens;
                }

                yield return update;
            }
        }
        finally
        {
            if (outcome == "error" && cancellationToken.IsCancellationRequested)
            {
                outcome = "cancelled";
            }

            if (!WarmupTurns.IsWarmup(request.Conversation.TenantId))
            {
                _metrics?.Completed(request.Conversation.BotId, outcome, Stopwatch.GetElapsedTime(started), firstToken, promptTokens);
            }
        }
    }

    private async IAsyncEnumerable<TurnUpdate> StreamCoreAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var bot = _bots.Find(request.Conversation.BotId)
            ?? throw new TurnException(TurnErrorKind.UnknownCharacter,
                $"There is no bot or character '{request.Conversation.BotId}'. Known: {string.Join(", ", _bots.All.Select(b => b.Id))}.");
        var character = _characters.Find(bot.CharacterId)
            ?? throw new TurnException(TurnErrorKind.UnknownCharacter,
                $"Bot '{bot.Id}' speaks as character '{bot.CharacterId}', which is not loaded. Known characters: {string.Join(", ", _characters.All.Select(c => c.Id))}.");
        var input = _validator.Validate(request.Text);
        if ((input.Flags & MessageFlags.InjectionSuspected) != 0)
        {
            Log.InjectionSuspected(_logger, request.Conversation.BotId, request.Conversation.UserId);
        }

        var prompt = _prompts.GetValue(character, c => PreparedPrompt.Create(c, _tokens));
        var speaker = SpeakerName.Clean(request.UserName, SpeakerName.Clean(request.Conversation.UserId, "user"));
        // Recall reads only long-term memory, which this conversation's turns write after they end: it starts before
        // the conversation's lease, so that the lease's round trip and the store calls overlap with it.
        using var recallStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var recall = _context.GatherAsync(new TurnContextRequest(request.Conversation, request.Privacy, speaker, character.Name, input.Text), recallStop.Token);
        IAsyncDisposable? lease = null;
        IDisposable? botSlot = null;
        long? fence = null;
        Conversation conversation;
        StoredMessage userMessage;
        IReadOnlyList<StoredMessage> history;
        try
        {
            lease = await _dispatcher.AcquireAsync(request.Conversation, cancellationToken);
            fence = (lease as IFencedLease)?.FencingToken;
            botSlot = await BotSlotAsync(bot, cancellationToken);
            conversation = await StoreAsync(() => _store.GetOrCreateConversationAsync(request.Conversation, request.Privacy, cancellationToken), false);
            var appended = await StoreAsync(() => _store.AppendMessageAndReadRecentAsync(conversation,
                new NewMessage(MessageRole.User, input.Text, _tokens.CountTokens(input.Text), input.Flags) { FencingToken = fence },
                _options.HistoryMessages, cancellationToken), false);
            (userMessage, history) = (appended.Message, appended.Recent);
            if (userMessage.ConversationId != conversation.Id)
            {
                // The conversation was erased since it was looked up (a person forgotten); the store started it again.
                conversation = conversation with { Id = userMessage.ConversationId };
            }
        }
        catch
        {
            await recallStop.CancelAsync();
            botSlot?.Dispose();
            if (lease is not null)
            {
                await lease.DisposeAsync();
            }

            throw;
        }

        await using var heldLease = lease;
        using var heldSlot = botSlot;

        var sections = await recall;
        var context = _assembler.Assemble(prompt.Text, prompt.Tokens, history, _options.MaxPromptTokens, sections, _context.MaxPromptTokens);
        var capped = false;
        // A model with a prompt cap below the tier's budget gets the prompt cut again to its cap (older history and the
        // lowest context lines go first); the reason is on the route, so the ledger and the logs show it.
        ModelRoute CapPrompt(ModelRoute route)
        {
            var (budget, cappedBy) = _options.PromptBudgetFor(route.Models);
            if (cappedBy is null || context.PromptTokens <= budget)
            {
                return route;
            }

            context = _assembler.Assemble(prompt.Text, prompt.Tokens, history, budget, sections, Math.Min(_context.MaxPromptTokens, budget / 2));
            capped = true;
            return route with { Reason = $"{route.Reason}; prompt capped at {budget} tokens for {cappedBy}" };
        }

        var completed = new CompletedTurn(request.Conversation, request.Privacy, speaker, character.Name, userMessage)
        {
            PreviousReply = PreviousReply(history, userMessage.Id),
            ContextUsed = context.ContextLines,
        };

        ModelRoute route;
        try
        {
            route = _router.Route(new ModelRequest(character, "chat", request.RequestedModel, context.PromptTokens) { BotModel = bot.Model, MessageText = input.Text });
            route = CapPrompt(route);
        }
        catch (TurnException ex)
        {
            _context.Completed(completed with { ContextUsed = [] });
            throw new TurnException(ex.Kind, ex.Message, ex) { UserMessageStored = true };
        }

        var maxOutput = character.Generation.MaxTokens ?? _options.DefaultMaxOutputTokens;
        var reservation = BudgetReservation.None(route.Primary);
        // A warm-up turn spends nothing (the model layer answers it locally), so it reserves nothing either.
        if (_budget is not null && !WarmupTurns.IsWarmup(request.Conversation.TenantId))
        {
            try
            {
                var costliest = _budget.MostExpensive(route.Models, context.PromptTokens, maxOutput);
                reservation = await _budget.ReserveAsync(bot, costliest, context.PromptTokens, maxOutput, cancellationToken);
            }
            catch (TurnException ex)
            {
                _context.Completed(completed with { ContextUsed = [] });
                throw new TurnException(ex.Kind, ex.Message, ex) { UserMessageStored = true };
            }

            if (reservation.Reason.Length > 0)
            {
                // Downgraded near the limit: only the cheap model, so the reservation covers the call.
                route = CapPrompt(new ModelRoute([reservation.Model], $"{route.Reason}; {reservation.Reason}"));
            }
        }

        if (capped)
        {
            completed = completed with { ContextUsed = context.ContextLines };
        }

        // The ledger writes the call's usage while the reply is stored; the turn ends when both are done.
        var usageRecords = new DeferredUsageRecords();
        var options = BuildOptions(character, route, request.Conversation, context.PromptTokens, usageRecords);
        var scan = prompt.Scanner.Start();
        var reply = new StringBuilder();
        var flags = MessageFlags.None;
        var finish = "stop";
        var model = route.Primary;
        int? completionTokens = null;
        int? promptTokens = null;
        Exception? failure = null;
        var cancelled = false;

        await using (var stream = _chat.GetStreamingResponseAsync(context.Messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await stream.MoveNextAsync())
                    {
                        break;
                    }

                    update = stream.Current;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                catch (Exception ex)
                {
                    failure = ex;
                    break;
                }

                model = update.ModelId ?? model;
                if (update.FinishReason == ChatFinishReason.Length)
                {
                    finish = "length";
                }

                foreach (var content in update.Contents)
                {
                    if (content is UsageContent usage)
                    {
                        promptTokens = (int?)usage.Details.InputTokenCount ?? promptTokens;
                        completionTokens = (int?)usage.Details.OutputTokenCount ?? completionTokens;
                    }
                }

                var text = update.Text;
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }

                if (scan.Append(text))
                {
                    flags |= MessageFlags.LeakBlocked;
                    finish = "content_filter";
                    Log.LeakBlocked(_logger, character.Id, request.Conversation.UserId);
                    break;
                }

                reply.Append(text);
                yield return new TurnUpdate(text);
            }
        }

        if (failure is null && !cancelled && (flags & MessageFlags.LeakBlocked) == 0 && scan.Complete())
        {
            flags |= MessageFlags.LeakBlocked;
            finish = "content_filter";
            Log.LeakBlocked(_logger, character.Id, request.Conversation.UserId);
        }

        var replyText = reply.ToString();
        if (failure is not null || cancelled)
        {
            // What was streamed was paid for; a call that produced nothing is assumed free.
            await SettleAsync(reservation, model, replyText.Length > 0 ? promptTokens ?? context.PromptTokens : 0, completionTokens ?? _tokens.CountTokens(replyText));
            flags |= MessageFlags.Interrupted;
            StoredMessage? partial = null;
            if (replyText.Length > 0)
            {
                // What the user already saw belongs to the conversation, so the next turn can refer to it.
                partial = await StoreAsync(() => _store.AppendMessageAsync(conversation,
                    new NewMessage(MessageRole.Assistant, replyText, _tokens.CountTokens(replyText), flags, model) { FencingToken = fence }, CancellationToken.None), false);
            }

            await usageRecords.WhenRecordedAsync();
            _context.Completed(completed with { Reply = partial, ContextUsed = [] });

            if (cancelled)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Log.ModelFailed(_logger, character.Id, route.Primary, failure!.Message);
            Log.ModelFailureDetail(_logger, failure);
            throw new TurnException(TurnErrorKind.ModelUnavailable, ModelFailureMessage(failure!), failure) { UserMessageStored = true };
        }

        var replyTokens = completionTokens ?? _tokens.CountTokens(replyText);
        await SettleAsync(reservation, model, promptTokens ?? context.PromptTokens, replyTokens);
        var stored = await StoreAsync(() => _store.AppendMessageAsync(conversation,
            new NewMessage(MessageRole.Assistant, replyText, replyTokens, flags, model) { FencingToken = fence }, CancellationToken.None), false);
        await usageRecords.WhenRecordedAsync();
        _context.Completed(completed with { Reply = stored });

        yield return new TurnUpdate(null, new TurnResult
        {
            Reply = replyText,
            Model = model,
            UserMessageId = userMessage.Id,
            ReplyMessageId = stored.Id,
            PromptTokens = promptTokens ?? context.PromptTokens,
            CompletionTokens = replyTokens,
            InputFlags = input.Flags,
            ReplyFlags = flags,
            FinishReason = finish,
            HistoryMessagesUsed = context.HistoryMessagesUsed,
            ContextLinesUsed = context.ContextLines.Count,
            RoutingReason = route.Reason,
        });
    }

    /// <summary>Deletes the conversation history of <paramref name="key"/> (terminal <c>/forget</c>).</summary>
    public async ValueTask<int> ForgetAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        await using var lease = await _dispatcher.AcquireAsync(key, cancellationToken);
        return await _store.ForgetConversationAsync(key, cancellationToken);
    }

    /// <summary>The character's message the user answered: the newest assistant message stored before <paramref name="userMessageId"/>.</summary>
    private static StoredMessage? PreviousReply(IReadOnlyList<StoredMessage> history, long userMessageId)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].Id < userMessageId && history[i].Role == MessageRole.Assistant)
            {
                return history[i];
            }
        }

        return null;
    }

    private async ValueTask SettleAsync(BudgetReservation reservation, string model, int promptTokens, int completionTokens)
    {
        if (_budget is not null)
        {
            await _budget.SettleAsync(reservation, model, promptTokens, completionTokens, CancellationToken.None);
        }
    }

    /// <summary>Holds one of the bot's own turn slots when the bot has a limit.</summary>
    private async ValueTask<IDisposable?> BotSlotAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        if (bot.MaxConcurrentTurns is not { } limit)
        {
            return null;
        }

        var gate = _botLimits.GetOrAdd(bot.Id, _ => new SemaphoreSlim(limit, limit));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    private ChatOptions BuildOptions(Character character, ModelRoute route, ConversationKey key, int promptTokens, DeferredUsageRecords usageRecords)
    {
        var options = new ChatOptions
        {
            ModelId = route.Primary,
            Temperature = (float?)character.Generation.Temperature,
            TopP = (float?)character.Generation.TopP,
            PresencePenalty = (float?)character.Generation.PresencePenalty,
            FrequencyPenalty = (float?)character.Generation.FrequencyPenalty,
            MaxOutputTokens = character.Generation.MaxTokens ?? _options.DefaultMaxOutputTokens,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [UsageContext.PropertyName] = new UsageContext(key.TenantId, key.BotId, key.UserId, "chat", route.Reason)
                {
                    PromptTokens = promptTokens,
                    Deferred = usageRecords,
                },
            },
        };
        if (route.Models.Count > 1)
        {
            options.AdditionalProperties[ChatOptionKeys.FallbackModels] = route.Models.Skip(1).ToArray();
        }

        return options;
    }

    private static string ModelFailureMessage(Exception failure) =>
        failure is TimeoutException || failure.InnerException is TimeoutException
            ? $"The model did not answer in time: {failure.Message.TrimEnd('.')}. Your message is saved; try again."
            : $"{failure.Message.TrimEnd('.')}. Your message is saved; try again.";

    private static async ValueTask<T> StoreAsync<T>(Func<ValueTask<T>> operation, bool userMessageStored)
    {
        try
        {
            return await operation();
        }
        catch (StorageException ex)
        {
            throw new TurnException(TurnErrorKind.StorageUnavailable, "The conversation store is unavailable: " + ex.Message, ex)
            {
                UserMessageStored = userMessageStored || ex.MessageStored,
            };
        }
        catch (StaleFencingTokenException ex)
        {
            // This turn's conversation lock expired and another process took the conversation over.
            throw new TurnException(TurnErrorKind.Busy, "This conversation was taken over by another turn; try again.", ex)
            {
                UserMessageStored = userMessageStored,
            };
        }
    }

    private sealed record PreparedPrompt(string Text, int Tokens, Safety.PromptLeakScanner Scanner)
    {
        public static PreparedPrompt Create(Character character, ITokenCounter tokens)
        {
            var text = character.BuildSystemPrompt();
            return new PreparedPrompt(text, tokens.CountTokens(text), new Safety.PromptLeakScanner(character.Persona + "\n" + string.Join("\n", character.Style.Guidelines)));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Warning, "Possible prompt injection in a message to {BotId} from user {UserId}; flagged and sent as plain text")]
        public static partial void InjectionSuspected(ILogger logger, string botId, string userId);

        [LoggerMessage(1002, LogLevel.Warning, "Reply of {BotId} to user {UserId} started to repeat the system prompt; stream cut")]
        public static partial void LeakBlocked(ILogger logger, string botId, string userId);

        [LoggerMessage(1003, LogLevel.Error, "Model call for {BotId} failed (primary model {Model}) after retries and fallbacks: {Reason}")]
        public static partial void ModelFailed(ILogger logger, string botId, string model, string reason);

        [LoggerMessage(1004, LogLevel.Debug, "Model failure detail")]
        public static partial void ModelFailureDetail(ILogger logger, Exception exception);
    }
}
