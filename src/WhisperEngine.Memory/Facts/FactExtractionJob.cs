using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Storage;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// One background extraction for a conversation: reads the messages stored since its extraction mark and hands them
/// to the <see cref="FactExtractor"/>. What a background queue runs when <see cref="FactExtractionTrigger"/> says so.
/// </summary>
/// <remarks>
/// Thread-safe. It never brings a forgotten person back: it reads and stores while holding the conversation's turn
/// lease (not during the model call), never creates a conversation, and stores nothing when the newest message it
/// read is gone by then (an erasure took the conversation meanwhile; message ids are never reused). Two runs for one
/// conversation at once read the same messages; the second finds its facts already known.
/// </remarks>
public sealed class FactExtractionJob
{
    private readonly FactExtractor _extractor;
    private readonly IFactStore _store;
    private readonly IConversationStore _conversations;
    private readonly FactOptions _options;
    private readonly ITurnDispatcher? _dispatcher;

    /// <param name="extractor">Does the extraction.</param>
    /// <param name="store">The extraction marks.</param>
    /// <param name="conversations">The messages.</param>
    /// <param name="options">How many messages at most.</param>
    /// <param name="dispatcher">The turn leases held around reads and writes; null holds none (tools and tests).</param>
    public FactExtractionJob(FactExtractor extractor, IFactStore store, IConversationStore conversations, FactOptions options, ITurnDispatcher? dispatcher = null)
    {
        _extractor = extractor;
        _store = store;
        _conversations = conversations;
        _options = options;
        _dispatcher = dispatcher;
    }

    /// <summary>Extracts from the messages of <paramref name="conversation"/> not read yet (at most <see cref="FactOptions.MaxMessages"/>, the newest).</summary>
    public async Task<FactExtractionResult> RunAsync(ConversationKey conversation, PrivacyLevel privacy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!_options.Enabled)
        {
            return FactExtractionResult.Skipped;
        }

        Conversation stored;
        IReadOnlyList<StoredMessage> recent;
        long upTo;
        await using (await HoldAsync(conversation, cancellationToken))
        {
            // A conversation without messages is gone (forgotten) or never was: never create it here.
            if (await _conversations.CountMessagesAsync(conversation, cancellationToken) == 0)
            {
                return FactExtractionResult.Skipped;
            }

            upTo = await _store.GetExtractedUpToAsync(conversation, cancellationToken);
            stored = await _conversations.GetOrCreateConversationAsync(conversation, privacy, cancellationToken);
            recent = await _conversations.GetRecentMessagesAsync(stored, _options.MaxMessages, cancellationToken);
        }

        var fresh = recent.Where(m => m.Id > upTo).Select(FactSourceMessage.From).ToList();
        if (!fresh.Any(m => m.Role == MessageRole.User))
        {
            return FactExtractionResult.Skipped;
        }

        var newest = fresh.Max(m => m.Id);
        var scope = new RecallScope(MemoryPartition.Of(conversation), conversation.ChannelId, stored.Privacy);
        return await _extractor.ExtractAsync(scope, fresh, ct => HoldSourceAsync(conversation, stored, newest, ct), cancellationToken);
    }

    /// <summary>The conversation's lease, if the newest message read is still there; else null (and no lease held).</summary>
    private async ValueTask<IAsyncDisposable?> HoldSourceAsync(ConversationKey key, Conversation conversation, long newest, CancellationToken cancellationToken)
    {
        var lease = await HoldAsync(key, cancellationToken);
        try
        {
            var now = await _conversations.GetRecentMessagesAsync(conversation, _options.MaxMessages * 2, cancellationToken);
            if (now.Any(m => m.Id == newest))
            {
                return lease;
            }
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }

        await lease.DisposeAsync();
        return null;
    }

    private async ValueTask<IAsyncDisposable> HoldAsync(ConversationKey key, CancellationToken cancellationToken) =>
        _dispatcher is null ? NoLease.Instance : await _dispatcher.AcquireAsync(key, cancellationToken);

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
