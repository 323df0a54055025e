using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Usage;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// Extracts facts about a person from conversation messages with a cheap model, and reconciles them with the facts
/// already known: the model sees the known facts with their ids and answers with operations (add, update id, retire
/// id), so a contradiction becomes an update or a retirement, never a second value. The answer is checked against the
/// schema by <see cref="FactAnswerParser"/>; an invalid answer is asked for once more with the errors, then dropped.
/// A valid batch is stored all-or-nothing, together with the conversation's extraction mark.
/// </summary>
/// <remarks>
/// Thread-safe. Runs in the background, never on a reply's path; it does not throw for model or answer problems (the
/// result says what happened), only for cancellation and store failures.
/// </remarks>
public sealed class FactExtractor
{
    private readonly IFactStore _store;
    private readonly IChatClient _chat;
    private readonly FactOptions _options;
    private readonly ILogger _logger;
    private int _noModelLogged;

    public FactExtractor(IFactStore store, IChatClient chat, FactOptions options, ILogger<FactExtractor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _chat = chat;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Extracts from <paramref name="messages"/> (a conversation's recent messages, oldest first) said in
    /// <paramref name="scope"/>: the person's partition, the channel and its privacy. Facts learnt there carry that
    /// privacy; the model is shown only the known facts that may be used there, so it cannot copy a fact from a direct
    /// message into a public one. On success (or a dropped answer) the conversation counts as read up to the last message.
    /// </summary>
    /// <param name="scope">Where the messages were said.</param>
    /// <param name="messages">The messages, oldest first.</param>
    /// <param name="holdSource">
    /// Called after the model answered and before anything is stored (facts or the mark): returns a lease held while
    /// storing, or null when the source messages are gone (the person was forgotten meanwhile), and then nothing is
    /// stored. Null: store without holding anything (tools and tests).
    /// </param>
    /// <param name="cancellationToken">Cancels the call; once storing has started it completes.</param>
    public async Task<FactExtractionResult> ExtractAsync(RecallScope scope, IReadOnlyList<FactSourceMessage> messages,
        Func<CancellationToken, ValueTask<IAsyncDisposable?>>? holdSource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(messages);
        if (!_options.Enabled || messages.Count == 0 || !messages.Any(m => m.Role == MessageRole.User))
        {
            return FactExtractionResult.Skipped;
        }

        if (_options.Model is not { } model)
        {
            if (Interlocked.Exchange(ref _noModelLogged, 1) == 0)
            {
                FactLog.NoModel(_logger);
            }

            return FactExtractionResult.Skipped;
        }

        var owner = FactOwner.Of(scope.Partition);
        var shown = messages.Count > _options.MaxMessages ? messages.Skip(messages.Count - _options.MaxMessages).ToList() : messages;
        var mark = new ExtractionMark(new ConversationKey(owner.TenantId, owner.BotId, owner.UserId!, scope.ChannelId), messages.Max(m => m.Id));
        var known = (await _store.GetActiveAsync(owner, cancellationToken)).Where(f => scope.Allows(f.Privacy, f.ChannelId)).ToList();
        var knownById = known.ToDictionary(f => f.Id);
        var messageIds = shown.Select(m => m.Id).ToHashSet();
        var prompt = FactExtractionPrompt.Build(known, shown);

        List<FactProposal> proposals = [];
        List<string> errors = [];
        var attempts = 0;
        var belowConfidence = 0;
        while (attempts < 2)
        {
            attempts++;
            string answer;
            try
            {
                var response = await _chat.GetResponseAsync(prompt, Options(model, scope.Partition), cancellationToken);
                answer = response.Text ?? "";
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                FactLog.Failed(_logger, owner.ToString(), model, ex.Message);
                return new FactExtractionResult(FactExtractionOutcome.Failed, attempts, 0, 0, 0, 0, []);
            }

            if (_logger.IsEnabled(LogLevel.Trace))
            {
                FactLog.Answer(_logger, owner.ToString(), answer);
            }

            if (FactAnswerParser.TryParse(answer, knownById, messageIds, out proposals, out errors))
            {
                break;
            }

            if (attempts == 1)
            {
                FactLog.Retrying(_logger, owner.ToString(), model, string.Join("; ", errors));
                prompt = [.. prompt, .. FactExtractionPrompt.Retry(answer, errors)];
            }
        }

        List<FactOperation> operations = errors.Count > 0 ? [] : ToOperations(proposals, knownById, scope, shown, out belowConfidence);
        await using var hold = holdSource is null ? null : await holdSource(cancellationToken);
        if (holdSource is not null && hold is null)
        {
            FactLog.SourceGone(_logger, owner.ToString(), scope.ChannelId);
            return new FactExtractionResult(FactExtractionOutcome.SourceGone, attempts, 0, 0, 0, 0, errors);
        }

        if (errors.Count > 0)
        {
            FactLog.Dropped(_logger, owner.ToString(), model, string.Join("; ", errors));
            await _store.SetExtractedUpToAsync(mark, CancellationToken.None);
            return new FactExtractionResult(FactExtractionOutcome.Dropped, attempts, 0, 0, 0, 0, errors);
        }

        var result = await _store.ApplyAsync(owner, operations, mark, CancellationToken.None);
        if (!result.Applied)
        {
            FactLog.Conflict(_logger, owner.ToString(), result.Conflict!);
            return new FactExtractionResult(FactExtractionOutcome.Conflict, attempts, 0, 0, 0, belowConfidence, []);
        }

        FactLog.Extracted(_logger, owner.ToString(), shown.Count, scope.ChannelId, result.Written.Count, result.Retired.Count, result.Confirmed, belowConfidence);
        return new FactExtractionResult(FactExtractionOutcome.Applied, attempts, result.Written.Count, result.Retired.Count, result.Confirmed, belowConfidence, []);
    }

    /// <summary>
    /// The store's operations: retirements and updates first, then additions (so an addition that replaces a retired
    /// fact never meets it still active); additions and updates below the minimum confidence are left out.
    /// </summary>
    private List<FactOperation> ToOperations(List<FactProposal> proposals, Dictionary<long, FactRecord> known, RecallScope scope,
        IReadOnlyList<FactSourceMessage> shown, out int belowConfidence)
    {
        belowConfidence = 0;
        var fromUser = shown.Where(m => m.Role == MessageRole.User).Select(m => m.Id).ToList();
        var operations = new List<FactOperation>(proposals.Count);
        foreach (var p in proposals.OrderBy(p => p.Kind switch { FactOperationKind.Retire => 0, FactOperationKind.Update => 1, _ => 2 }))
        {
            if (p.Kind != FactOperationKind.Retire && p.Confidence < _options.MinConfidence)
            {
                belowConfidence++;
                continue;
            }

            if (p.Kind == FactOperationKind.Retire)
            {
                operations.Add(FactOperation.Retire(p.TargetId!.Value, p.Reason));
                continue;
            }

            var source = FactSources.Messages(p.Evidence.Count > 0 ? p.Evidence : fromUser);
            var (subject, key) = p.Kind == FactOperationKind.Add ? (p.Subject, p.Key!) : (known[p.TargetId!.Value].Subject, known[p.TargetId.Value].Key);
            var fact = new NewFact(subject, key, p.Value!, p.Confidence!.Value, source, scope.Privacy, scope.ChannelId);
            operations.Add(p.Kind == FactOperationKind.Add ? FactOperation.Add(fact) : FactOperation.Update(p.TargetId!.Value, fact, p.Reason));
        }

        return operations;
    }

    private ChatOptions Options(string model, MemoryPartition partition) => new()
    {
        ModelId = model,
        Temperature = 0,
        MaxOutputTokens = 1500,
        ResponseFormat = _options.StructuredOutput
            ? ChatResponseFormat.ForJsonSchema(FactAnswerSchema.Schema, FactAnswerSchema.Name, FactAnswerSchema.Description)
            : null,
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [UsageContext.PropertyName] = new UsageContext(partition.TenantId, partition.BotId, partition.UserId, "facts", _options.ModelReason),
        },
    };
}
