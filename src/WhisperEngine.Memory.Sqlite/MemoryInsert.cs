using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>The memory INSERT as one prepared statement whose parameters are rebound for each row.</summary>
internal sealed class MemoryInsert : IAsyncDisposable
{
    private readonly SqliteCommand _command;
    private readonly DateTimeOffset _now;
    private readonly SqliteParameter _partition, _channel, _privacy, _speaker, _text, _context, _occurred, _importance, _tokens, _model, _dims, _embedding, _emotion;

    public MemoryInsert(SqliteConnection connection, SqliteTransaction? transaction, DateTimeOffset now)
    {
        _now = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = """
            INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, importance,
                token_count, embedding_model, embedding_dims, embedding, emotion)
            VALUES ($partition, $channel, $privacy, $speaker, $text, $context, $occurred, $now, $importance,
                $tokens, $model, $dims, $embedding, $emotion)
            RETURNING id;
            """;
        var p = _command.Parameters;
        _partition = p.Add("$partition", SqliteType.Integer);
        _channel = p.Add("$channel", SqliteType.Text);
        _privacy = p.Add("$privacy", SqliteType.Integer);
        _speaker = p.Add("$speaker", SqliteType.Text);
        _text = p.Add("$text", SqliteType.Text);
        _context = p.Add("$context", SqliteType.Text);
        _occurred = p.Add("$occurred", SqliteType.Integer);
        p.AddWithValue("$now", _now.ToUnixTimeMilliseconds());
        _importance = p.Add("$importance", SqliteType.Real);
        _tokens = p.Add("$tokens", SqliteType.Integer);
        _model = p.Add("$model", SqliteType.Text);
        _dims = p.Add("$dims", SqliteType.Integer);
        _embedding = p.Add("$embedding", SqliteType.Blob);
        _emotion = p.Add("$emotion", SqliteType.Text);
    }

    /// <summary>Inserts one memory (the FTS5 entry follows by trigger) and returns it as stored.</summary>
    public async Task<MemoryRecord> ExecuteAsync(long partitionId, NewMemory memory, int tokenCount, StoredEmbedding? embedding)
    {
        _partition.Value = partitionId;
        _channel.Value = memory.ChannelId;
        _privacy.Value = (int)memory.Privacy;
        _speaker.Value = memory.Speaker;
        _text.Value = memory.Text;
        _context.Value = (object?)memory.Context ?? DBNull.Value;
        _occurred.Value = memory.OccurredAt.ToUnixTimeMilliseconds();
        _importance.Value = memory.Importance;
        _tokens.Value = tokenCount;
        _model.Value = (object?)embedding?.Model ?? DBNull.Value;
        _dims.Value = (object?)embedding?.Dimensions ?? DBNull.Value;
        _embedding.Value = embedding is null ? DBNull.Value : VectorBlob.ToBytes(embedding.Vector);
        _emotion.Value = (object?)memory.Emotion ?? DBNull.Value;

        // Once the row is being written, the write completes: a cancelled caller must not leave the batch half done.
        var id = (long)(await _command.ExecuteScalarAsync(CancellationToken.None))!;
        return new MemoryRecord
        {
            Id = id,
            Partition = memory.Partition,
            ChannelId = memory.ChannelId,
            Privacy = memory.Privacy,
            Speaker = memory.Speaker,
            Text = memory.Text,
            Context = memory.Context,
            Emotion = memory.Emotion,
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(memory.OccurredAt.ToUnixTimeMilliseconds()),
            CreatedAt = _now,
            Importance = memory.Importance,
            TokenCount = tokenCount,
            EmbeddingModel = embedding?.Model,
            EmbeddingDimensions = embedding?.Dimensions,
        };
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
