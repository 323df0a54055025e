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
/// and the job is not brought back (the job writes nothing). A job writes every turn waiting when it runs (up to
/// <see cref="MaxBatch"/>, under all their leases), so under load the embeddings and store writes of many turns are
/// made together. The next turn of the same conversation may wait for the job's writes (tens of milliseconds: the
/// embeddings), never the reply of the turn that queued it. Not remembered: messages flagged as possible prompt injection (a memory is quoted into later system
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
    /// Writes the turns waiting (up to <see cref="MaxBatch"/>) under all their conversations' leases: the users'
    /// messages in one write (embedded already by the recall, or all together), then the replies in one write (one
    /// embedding call for all of them), then the relationships.
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

        await using var lease = await _dispatcher.AcquireAllAsync(batch.Select(b => b.Turn.Conversation).ToList(), cancellationToken);
        var users = new List<NewMemory>(batch.Count);
        var userOf = new int[batch.Count];
        var kept = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (turn, vector) = batch[i];
            var partition = MemoryPartition.Of(turn.Conversation);
            var user = turn.UserMessage;
            userOf[i] = -1;
            if (!await _conversations.MessageExistsAsync(turn.Conversation, user.Id, cancellationToken))
            {
                MemoryLog.NotRemembered(_logger, partition.ToString(), user.Id, "the conversation was erased since");
                continue;
            }

            kept[i] = true;
            if ((user.Flags & MessageFlags.InjectionSuspected) != 0)
            {
                MemoryLog.NotRemembered(_logger, partition.ToString(), user.Id, "flagged as possible prompt injection");
                continue;
            }

            userOf[i] = users.Count;
            users.Add(new NewMemory(partition, turn.Conversation.ChannelId, turn.Privacy, turn.SpeakerName, user.Content, user.CreatedAt)
            {
                Context = turn.PreviousReply?.Content,
                Emotion = _options.Emotion ? _emotions.Classify(user.Content).Name : null,
                Vector = vector,
            });
        }

        var userMemories = users.Count > 0 ? await _writer.WriteManyAsync(users, cancellationToken) : [];
        var replies = new List<NewMemory>(batch.Count);
        var complete = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var turn = batch[i].Turn;
            var reply = turn.Reply;
            complete[i] = kept[i] && reply is { Content.Length: > 0 } && (reply.Flags & (MessageFlags.Interrupted | MessageFlags.LeakBlocked)) == 0;
            if (complete[i] && _options.RememberReplies)
            {
                replies.Add(new NewMemory(MemoryPartition.Of(turn.Conversation), turn.Conversation.ChannelId, turn.Privacy, turn.CharacterName, reply!.Content, reply.CreatedAt)
                {
                    Context = turn.UserMessage.Content,
                    Importance = _options.ReplyImportance,
                    // The user's memory is found by the words of its answer too.
                    InReplyTo = userOf[i] >= 0 ? userMemories[userOf[i]].Id : null,
                });
            }
        }

        if (replies.Count > 0)
        {
            await _writer.WriteManyAsync(replies, cancellationToken);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!kept[i])
            {
                continue;
            }

            var turn = batch[i].Turn;
            var partition = MemoryPartition.Of(turn.Conversation);
            if (complete[i] && _options.Relationship && _relationships is not null)
            {
                await _relationships.RecordExchangeAsync(partition, turn.UserMessage.CreatedAt, cancellationToken);
            }

            MemoryLog.TurnRemembered(_logger, partition.ToString(), (userOf[i] >= 0 ? 1 : 0) + (complete[i] && _options.RememberReplies ? 1 : 0));
        }
    }
}
