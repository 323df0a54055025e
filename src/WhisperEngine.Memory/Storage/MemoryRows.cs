using System.Data.Common;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Storage;

/// <summary>
/// The columns of a <c>memories</c> row as every SQL backend selects them, and the one reader of such a row: the
/// backends keep the same column names and encodings (times as Unix milliseconds, privacy as its number).
/// </summary>
public static class MemoryRows
{
    /// <summary>The columns <see cref="Read"/> reads, in its order, of <c>memories</c> aliased <c>m</c>.</summary>
    public const string Columns = """
        m.id, m.channel_id, m.privacy, m.speaker, m.text, m.context, m.occurred_at, m.created_at, m.importance,
        m.access_count, m.last_accessed_at, m.token_count, m.embedding_model, m.embedding_dims, m.emotion, m.reply, m.cluster_id
        """;

    /// <summary>A memory of <paramref name="partition"/> from the current row of a <see cref="Columns"/> select.</summary>
    public static MemoryRecord Read(DbDataReader r, MemoryPartition partition)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new MemoryRecord
        {
            Id = r.GetInt64(0),
            Partition = partition,
            ChannelId = r.GetString(1),
            Privacy = (PrivacyLevel)r.GetInt32(2),
            Speaker = r.GetString(3),
            Text = r.GetString(4),
            Context = r.IsDBNull(5) ? null : r.GetString(5),
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
            Importance = r.GetFloat(8),
            AccessCount = r.GetInt32(9),
            LastAccessedAt = r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
            TokenCount = r.GetInt32(11),
            EmbeddingModel = r.IsDBNull(12) ? null : r.GetString(12),
            EmbeddingDimensions = r.IsDBNull(13) ? null : r.GetInt32(13),
            Emotion = r.IsDBNull(14) ? null : r.GetString(14),
            Reply = r.IsDBNull(15) ? null : r.GetString(15),
            ClusterId = r.IsDBNull(16) ? null : r.GetInt32(16),
        };
    }
}
