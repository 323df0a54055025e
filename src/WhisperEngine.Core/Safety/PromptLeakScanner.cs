using System.Text;

namespace WhisperEngine.Core.Safety;

/// <summary>
/// Detects a reply that starts to repeat the system prompt. The prompt is cut into overlapping runs of
/// <see cref="ShingleWords"/> normalised words; a reply containing any such run is a leak. Works on a stream:
/// feed text as it arrives and stop forwarding once <see cref="Session.Append"/> returns true, so at most a run's worth
/// of words reaches the user.
/// </summary>
/// <remarks>A <see cref="PromptLeakScanner"/> is built once per system prompt and is thread-safe; a <see cref="Session"/> is per reply and not thread-safe.</remarks>
public sealed class PromptLeakScanner
{
    /// <summary>Words per run: long enough that ordinary phrases do not trigger it.</summary>
    public const int ShingleWords = 8;

    private readonly HashSet<ulong> _shingles = [];

    public PromptLeakScanner(string systemPrompt)
    {
        var words = new List<string>();
        foreach (var word in Words(systemPrompt))
        {
            words.Add(word);
        }

        for (var i = 0; i + ShingleWords <= words.Count; i++)
        {
            _shingles.Add(Hash(words, i));
        }
    }

    /// <summary>Starts scanning one reply.</summary>
    public Session Start() => new(this);

    private static ulong Hash(IReadOnlyList<string> words, int start)
    {
        var hash = 14695981039346656037UL;
        for (var i = start; i < start + ShingleWords; i++)
        {
            foreach (var c in words[i])
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ ' ') * 1099511628211UL;
        }

        return hash;
    }

    private static IEnumerable<string> Words(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (c != '\'' && sb.Length > 0)
            {
                yield return sb.ToString();
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }

    /// <summary>Scans one reply incrementally.</summary>
    public sealed class Session
    {
        private readonly PromptLeakScanner _owner;
        private readonly List<string> _window = new(ShingleWords);
        private readonly StringBuilder _partial = new();

        internal Session(PromptLeakScanner owner) => _owner = owner;

        /// <summary>True once a leak was seen.</summary>
        public bool LeakDetected { get; private set; }

        /// <summary>Feeds the next piece of the reply; returns true when the reply now contains a leak.</summary>
        public bool Append(string text)
        {
            if (LeakDetected || _owner._shingles.Count == 0)
            {
                return LeakDetected;
            }

            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    _partial.Append(char.ToLowerInvariant(c));
                }
                else if (c != '\'' && _partial.Length > 0)
                {
                    Push();
                }
            }

            return LeakDetected;
        }

        /// <summary>Ends the reply: the last word counts even without trailing punctuation.</summary>
        public bool Complete()
        {
            if (!LeakDetected && _partial.Length > 0)
            {
                Push();
            }

            return LeakDetected;
        }

        private void Push()
        {
            if (_window.Count == ShingleWords)
            {
                _window.RemoveAt(0);
            }

            _window.Add(_partial.ToString());
            _partial.Clear();
            if (_window.Count == ShingleWords && _owner._shingles.Contains(Hash(_window, 0)))
            {
                LeakDetected = true;
            }
        }
    }
}
