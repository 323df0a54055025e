using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// Decides when a conversation's facts are extracted: after every <see cref="FactOptions.EveryNMessages"/> user
/// messages, or once it has been quiet for <see cref="FactOptions.QuietPeriod"/> with messages not read yet.
/// Counts are in memory: after a restart, the quiet rule picks up what is left at the next message.
/// </summary>
/// <remarks>Thread-safe; holds one small entry per conversation with unread messages.</remarks>
public sealed class FactExtractionTrigger
{
    private readonly FactOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<ConversationKey, Pending> _pending = [];
    private readonly Lock _lock = new();

    public FactExtractionTrigger(FactOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Conversations with unread messages.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Counts a stored user message; true when the conversation is due for extraction now (its count starts again).</summary>
    public bool OnUserMessage(ConversationKey conversation, PrivacyLevel privacy)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!_options.Enabled)
        {
            return false;
        }

        lock (_lock)
        {
            var pending = _pending.GetValueOrDefault(conversation) ?? new Pending(privacy);
            pending.Count++;
            pending.Last = _time.GetUtcNow();
            if (pending.Count >= _options.EveryNMessages)
            {
                _pending.Remove(conversation);
                return true;
            }

            _pending[conversation] = pending;
            return false;
        }
    }

    /// <summary>Takes the conversations quiet for the quiet period with messages not read yet; they are no longer pending.</summary>
    public IReadOnlyList<(ConversationKey Conversation, PrivacyLevel Privacy)> TakeQuiet()
    {
        var cutoff = _time.GetUtcNow() - _options.QuietPeriod;
        lock (_lock)
        {
            var quiet = _pending.Where(p => p.Value.Last <= cutoff).Select(p => (p.Key, p.Value.Privacy)).ToList();
            foreach (var (key, _) in quiet)
            {
                _pending.Remove(key);
            }

            return quiet;
        }
    }

    private sealed class Pending(PrivacyLevel privacy)
    {
        public PrivacyLevel Privacy { get; } = privacy;

        public int Count { get; set; }

        public DateTimeOffset Last { get; set; }
    }
}
