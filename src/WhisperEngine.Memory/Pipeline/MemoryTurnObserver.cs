using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Background;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Recall;
using WhisperEngine.Core.Storage;
using WhisperEngine.Memory.Emotion;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Memory.Pipeline;

/// <summary>
/// Turns completed turns into memories, off the reply's path: queues a <c>memory.write</c> job (the user's message
/// with the character's previous message as context and its emotion label; the reply as the character's own
/// memory; one more exchange for the relationship) and a <c>memory.access</c> job (the recalled memories that went
/// into the prompt: access count and time).
/// </summary>
/// <remarks>
/// Thread-safe. The writes follow the rule for background work (docs/memory.md, "Background jobs"): they run under the
/// conversation's turn lease and only while the user's message is still stored, so a person forgotten between the turn
/// and the job is not brought back (the job writes nothing). A job takes every turn waiting when it runs (up to
/// <see cref="MaxBatch"/>): their embeddings are made in one call holding no lease, then each turn is written under its
/// own conversation's lease. The next turn of the same conversation may wait for that turn's store writes (a few
/// milliseconds), never for another conversation, and never the reply of the turn that queued it. Not remembered: messages flagged as possible prompt injection (a memory is quoted into later system
/// prompts, so it must not carry instructions), replies cut short or blocked for leaking the system prompt.
/// </remarks>
public sealed class MemoryTurnObserver : ITurnObserver
{
    /// <summary>The most turns one <c>memory.write</c> job writes together.</summary>
    public const int MaxBatch = 32;

    private readonly IBackgroundJobQueue _queue;
    private readonly ITurnDispatcher _dispatcher;
    private readonly IConversationStore _conversations;
    private readonly MemoryWriter _writer;
    private readonly IMemoryStore _store;
    private readonly IRelationshipStore? _relationships;
    private readonly EmotionClassifier _emotions;
    private readonly TurnMemoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecallVectors? _vectors;
    private readonly ConcurrentQueue<(CompletedTurn Turn, ReadOnlyMemory<float>? Vector)> _pending = new();

    /// <summary>With <paramref name="vectors"/> (the recall's query vectors, <see cref="MemoryContextProvider"/>) the user's message is written with its vector when there is one.</summary>
    public MemoryTurnObserver(IBackgroundJobQueue queue, ITurnDispatcher dispatcher, IConversationStore conversations, MemoryWriter writer, IMemoryStore store,
        EmotionClassifier emotions, TurnMemoryOptions options, TimeProvider time, ILogger<MemoryTurnObserver> logger, IRelationshipStore? relationships = null,
        RecallVectors? vectors = null)
    {
        _vectors = vectors;
        _queue = queue;
        _dispatcher = dispatcher;
        _conversations = conversations;
        _writer = writer;
        _store = store;
        _emotions = emotions;
        _options = options;
        _time = time;
        _logger = logger;
        _relationships = relationships;
    }

    public void OnTurnCompleted(CompletedTurn turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        // Taken now, whether or not the message is written, so that no vector outlives its turn.
        var vector = _vectors?.Take(turn.Conversation, MemoryFormatter.EmbeddingText(turn.SpeakerName, turn.UserMessage.Content));
        _pending.Enqueue((turn, vector));
        // One job per turn; a job writes every turn waiting by then, so under load the turns are written in batches.
        _queue.TryEnqueue(new BackgroundJob("memory.write", WriteWaitingAsync));
        var used = turn.ContextUsed.Select(l => l.Tag).OfType<RecalledMemoryTag>().Select(t => t.Id).ToList();
        if (used.Count > 0)
        {
            var at = _time.GetUtcNow();
            var partition = MemoryPartition.Of(turn.Conversation);
            _queue.TryEnqueue(new BackgroundJob("memory.access", ct => _store.RecordAccessAsync(partition, used, at, ct)));
        }
    }

    /// <summary>
    /// Writes the turns waiting (up to <see cref="MaxBatch"/>): first, holding no lease, the words that need a vector
    /// (users' messages the recall did not embed, and the replies) in one embedding call; then each turn under its own
    /// conversation's lease: the user's message, the reply, the relationship. A lease is held only for that turn's
    /// store writes, so a conversation never waits for another conversation's turn (holding all the batch's leases at
    /// once made every new turn of those conversations wait for the slowest model call among them).
    /// </summary>
    private async ValueTask WriteWaitingAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(CompletedTurn Turn, ReadOnlyMemory<float>? Vector)>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var waiting))
        {
            batch.Add(waiting);
        }

        if (batch.Count == 0)
        {
            return;
        }

        // The embeddings of the whole batch in one call, before any lease: they read nothing stored and write nothing.
        var userVectors = new ReadOnlyMemory<float>?[batch.Count];
        var replyVectors = new ReadOnlyMemory<float>?[batch.Count];
        var texts = new List<(string Speaker, string Text)>();
        var owners = new List<(int Turn, bool Reply)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (turn, vector) = batch[i];
            userVectors[i] = vector;
            if (vector is null && (turn.UserMessage.Flags & MessageFlags.InjectionSuspected) == 0)
            {
                texts.Add((turn.SpeakerName, turn.UserMessage.Content));
                owners.Add((i, false));
            }

            if (_options.RememberReplies && IsComplete(turn))
            {
                texts.Add((turn.CharacterName, turn.Reply!.Content));
                owners.Add((i, true));
            }
        }

        var vectors = texts.Count > 0 ? await _writer.EmbedAsync(texts, cancellationToken) : [];
        for (var j = 0; j < owners.Count; j++)
        {
            if (owners[j].Reply)
            {
                replyVectors[owners[j].Turn] = vectors[j];
            }
            else
            {
                userVectors[owners[j].Turn] = vectors[j];
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            await WriteTurnAsync(batch[i].Turn, userVectors[i], replyVectors[i], cancellationToken);
        }
    }

    private bool IsComplete(CompletedTurn turn) =>
        turn.Reply is { Content.Length: > 0 } reply && (reply.Flags & (MessageFlags.Interrupted | MessageFlags.LeakBlocked)) == 0;

    /// <summary>One turn's memories and relationship exchange, under its conversation's lease, with the vectors made for them.</summary>
    private async ValueTask WriteTurnAsync(CompletedTurn turn, ReadOnlyMemory<float>? userVector, ReadOnlyMemory<float>? replyVector,
        CancellationToken cancellationToken)
    {
        await using var lease = await _dispatcher.AcquireAsync(turn.Conversation, cancellationToken);
        var partition = MemoryPartition.Of(turn.Conversation);
        var user = turn.UserMessage;
        if (!await _conversations.MessageExistsAsync(turn.Conversation, user.Id, cancellationToken))
        {
            MemoryLog.NotRemembered(_logger, partition.ToString(), user.Id, "the conversation was erased since");
            return;
        }

        MemoryRecord? userMemory = null;
        if ((user.Flags & MessageFlags.InjectionSuspected) != 0)
        {
            MemoryLog.NotRemembered(_logger, partition.ToString(), user.Id, "flagged as possible prompt injection");
        }
        else
        {
            userMemory = await _writer.WriteAsync(new NewMemory(partition, turn.Conversation.ChannelId, turn.Privacy, turn.SpeakerName, user.Content, user.CreatedAt)
            {
                Context = turn.PreviousReply?.Content,
                Emotion = _options.Emotion ? _emotions.Classify(user.Content).Name : null,
                Vector = userVector,
            }, cancellationToken);
        }

        var complete = IsComplete(turn);
        if (complete && _options.RememberReplies)
        {
            await _writer.WriteAsync(new NewMemory(partition, turn.Conversation.ChannelId, turn.Privacy, turn.CharacterName, turn.Reply!.Content, turn.Reply.CreatedAt)
            {
                Context = user.Content,
                Importance = _options.ReplyImportance,
                // The user's memory is found by the words of its answer too.
                InReplyTo = userMemory?.Id,
                Vector = replyVector,
            }, cancellationToken);
        }

        if (complete && _options.Relationship && _relationships is not null)
        {
            await _relationships.RecordExchangeAsync(partition, user.CreatedAt, cancellationToken);
        }

        MemoryLog.TurnRemembered(_logger, partition.ToString(), (userMemory is null ? 0 : 1) + (complete && _options.RememberReplies ? 1 : 0));
    }
}
