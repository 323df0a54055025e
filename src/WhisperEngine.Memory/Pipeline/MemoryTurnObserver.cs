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
/// and the job is not brought back (the job writes nothing). The next turn of the same conversation may wait for the
/// job's writes (tens of milliseconds: the embeddings), never the reply of the turn that queued it. Not remembered: messages flagged as possible prompt injection (a memory is quoted into later system
/// prompts, so it must not carry instructions), replies cut short or blocked for leaking the system prompt.
/// </remarks>
public sealed class MemoryTurnObserver : ITurnObserver
{
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
        _queue.TryEnqueue(new BackgroundJob("memory.write", ct => WriteAsync(turn, vector, ct)));
        var used = turn.ContextUsed.Select(l => l.Tag).OfType<RecalledMemoryTag>().Select(t => t.Id).ToList();
        if (used.Count > 0)
        {
            var at = _time.GetUtcNow();
            var partition = MemoryPartition.Of(turn.Conversation);
            _queue.TryEnqueue(new BackgroundJob("memory.access", ct => _store.RecordAccessAsync(partition, used, at, ct)));
        }
    }

    private async ValueTask WriteAsync(CompletedTurn turn, ReadOnlyMemory<float>? vector, CancellationToken cancellationToken)
    {
        var partition = MemoryPartition.Of(turn.Conversation);
        var channel = turn.Conversation.ChannelId;
        var user = turn.UserMessage;
        await using var lease = await _dispatcher.AcquireAsync(turn.Conversation, cancellationToken);
        if (!await _conversations.MessageExistsAsync(turn.Conversation, user.Id, cancellationToken))
        {
            MemoryLog.NotRemembered(_logger, partition.ToString(), user.Id, "the conversation was erased since");
            return;
        }

        var written = 0;
        MemoryRecord? userMemory = null;
        if ((user.Flags & MessageFlags.InjectionSuspected) != 0)
        {
            MemoryLog.NotRemembered(_logger, partition.ToString(), user.Id, "flagged as possible prompt injection");
        }
        else
        {
            userMemory = await _writer.WriteAsync(new NewMemory(partition, channel, turn.Privacy, turn.SpeakerName, user.Content, user.CreatedAt)
            {
                Context = turn.PreviousReply?.Content,
                Emotion = _options.Emotion ? _emotions.Classify(user.Content).Name : null,
                Vector = vector,
            }, cancellationToken);
            written++;
        }

        var reply = turn.Reply;
        var complete = reply is { Content.Length: > 0 } && (reply.Flags & (MessageFlags.Interrupted | MessageFlags.LeakBlocked)) == 0;
        if (complete && _options.RememberReplies)
        {
            await _writer.WriteAsync(new NewMemory(partition, channel, turn.Privacy, turn.CharacterName, reply!.Content, reply.CreatedAt)
            {
                Context = user.Content,
                Importance = _options.ReplyImportance,
                // The user's memory is found by the words of its answer too.
                InReplyTo = userMemory?.Id,
            }, cancellationToken);
            written++;
        }

        if (complete && _options.Relationship && _relationships is not null)
        {
            await _relationships.RecordExchangeAsync(partition, user.CreatedAt, cancellationToken);
        }

        MemoryLog.TurnRemembered(_logger, partition.ToString(), written);
    }
}
