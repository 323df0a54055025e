using System.Collections.Concurrent;
using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Pipeline;

/// <summary>
/// The recall's query vectors of turns in flight, from <see cref="MemoryContextProvider"/> (which embeds the user's
/// message in its memory form, <c>Speaker: text</c>) to <see cref="MemoryTurnObserver"/> (which writes that message as
/// a memory with the same vector instead of running the embedding model again). Keyed by conversation and the embedded
/// text, so a vector is only ever reused for the very text it was made of.
/// </summary>
/// <remarks>
/// Thread-safe. Bounded: a vector not taken (a turn that failed before it completed) stays until the map holds
/// <see cref="Capacity"/> vectors, then all are dropped at once; a message whose vector was dropped is embedded again.
/// </remarks>
public sealed class RecallVectors
{
    /// <summary>Vectors kept at most (384 floats each for MiniLM: about 6 MiB).</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<(ConversationKey Conversation, string Text), ReadOnlyMemory<float>> _vectors = new();
    private int _count;

    /// <summary>Vectors kept now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps the vector of <paramref name="embeddingText"/> said in <paramref name="conversation"/> until taken.</summary>
    public void Keep(ConversationKey conversation, string embeddingText, ReadOnlyMemory<float> vector)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            _vectors.Clear();
            Volatile.Write(ref _count, 1);
        }

        if (!_vectors.TryAdd((conversation, embeddingText), vector))
        {
            // The same text again in the same conversation: the same vector is there already.
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>The vector kept for <paramref name="embeddingText"/> in <paramref name="conversation"/>, removed; null when none is kept.</summary>
    public ReadOnlyMemory<float>? Take(ConversationKey conversation, string embeddingText)
    {
        if (!_vectors.TryRemove((conversation, embeddingText), out var vector))
        {
            return null;
        }

        Interlocked.Decrement(ref _count);
        return vector;
    }
}
