using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// One background extraction for a conversation: reads the messages stored since its extraction mark and hands them
/// to the <see cref="FactExtractor"/>. What a background queue runs when <see cref="FactExtractionTrigger"/> says so.
/// </summary>
/// <remarks>Thread-safe. Two runs for one conversation at once read the same messages; the second finds its facts already known.</remarks>
public sealed class FactExtractionJob
{
    private readonly FactExtractor _extractor;
    private readonly IFactStore _store;
    private readonly IConversationStore _conversations;
    private readonly FactOptions _options;

    public FactExtractionJob(FactExtractor extractor, IFactStore store, IConversationStore conversations, FactOptions options)
    {
        _extractor = extractor;
        _store = store;
        _conversations = conversations;
        _options = options;
    }

    /// <summary>Extracts from the messages of <paramref name="conversation"/> not read yet (at most <see cref="FactOptions.MaxMessages"/>, the newest).</summary>
    public async Task<FactExtractionResult> RunAsync(ConversationKey conversation, PrivacyLevel privacy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!_options.Enabled)
        {
            return FactExtractionResult.Skipped;
        }

        var upTo = await _store.GetExtractedUpToAsync(conversation, cancellationToken);
        var stored = await _conversations.GetOrCreateConversationAsync(conversation, privacy, cancellationToken);
        var recent = await _conversations.GetRecentMessagesAsync(stored, _options.MaxMessages, cancellationToken);
        var fresh = recent.Where(m => m.Id > upTo).Select(FactSourceMessage.From).ToList();
        if (!fresh.Any(m => m.Role == MessageRole.User))
        {
            return FactExtractionResult.Skipped;
        }

        var scope = new RecallScope(MemoryPartition.Of(conversation), conversation.ChannelId, stored.Privacy);
        return await _extractor.ExtractAsync(scope, fresh, cancellationToken);
    }
}
