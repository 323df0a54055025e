using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace WhisperEngine.Hosting.Migration;

/// <summary>One batch of SQLite memory rows as column arrays, for one <c>unnest</c> insert into PostgreSQL.</summary>
internal sealed class MemoryBatch
{
    public List<long> Ids { get; } = [];

    private readonly List<long> _partitions = [];
    private readonly List<string> _channels = [];
    private readonly List<short> _privacy = [];
    private readonly List<string> _speakers = [];
    private readonly List<string> _texts = [];
    private readonly List<string?> _contexts = [];
    private readonly List<long> _occurred = [];
    private readonly List<long> _created = [];
    private readonly List<float> _importance = [];
    private readonly List<int> _accessCounts = [];
    private readonly List<long?> _lastAccessed = [];
    private readonly List<int> _tokens = [];
    private readonly List<string?> _models = [];
    private readonly List<int?> _dimensions = [];
    private readonly List<byte[]?> _vectors = [];
    private readonly List<string?> _emotions = [];
    private readonly List<string?> _replies = [];

    /// <summary>Adds a row read as <c>id, partition_id, channel_id, ..., embedding, emotion, reply</c>, with its partition mapped to the target's id.</summary>
    public void Add(SqliteDataReader r, Dictionary<long, long> partitions)
    {
        Ids.Add(r.GetInt64(0));
        _partitions.Add(partitions[r.GetInt64(1)]);
        _channels.Add(r.GetString(2));
        _privacy.Add((short)r.GetInt32(3));
        _speakers.Add(r.GetString(4));
        _texts.Add(r.GetString(5));
        _contexts.Add(r.IsDBNull(6) ? null : r.GetString(6));
        _occurred.Add(r.GetInt64(7));
        _created.Add(r.GetInt64(8));
        _importance.Add(r.GetFloat(9));
        _accessCounts.Add(r.GetInt32(10));
        _lastAccessed.Add(r.IsDBNull(11) ? null : r.GetInt64(11));
        _tokens.Add(r.GetInt32(12));
        _models.Add(r.IsDBNull(13) ? null : r.GetString(13));
        _dimensions.Add(r.IsDBNull(14) ? null : r.GetInt32(14));
        _vectors.Add(r.IsDBNull(15) ? null : r.GetFieldValue<byte[]>(15));
        _emotions.Add(r.IsDBNull(16) ? null : r.GetString(16));
        _replies.Add(r.IsDBNull(17) ? null : r.GetString(17));
    }

    /// <summary>Parameters $1 to $17 in the order of the insert's unnest.</summary>
    public void AddParameters(NpgsqlParameterCollection p)
    {
        p.Add(Array(_partitions, NpgsqlDbType.Bigint));
        p.Add(Array(_channels, NpgsqlDbType.Text));
        p.Add(Array(_privacy, NpgsqlDbType.Smallint));
        p.Add(Array(_speakers, NpgsqlDbType.Text));
        p.Add(Array(_texts, NpgsqlDbType.Text));
        p.Add(Array(_contexts, NpgsqlDbType.Text));
        p.Add(Array(_occurred, NpgsqlDbType.Bigint));
        p.Add(Array(_created, NpgsqlDbType.Bigint));
        p.Add(Array(_importance, NpgsqlDbType.Real));
        p.Add(Array(_accessCounts, NpgsqlDbType.Integer));
        p.Add(Array(_lastAccessed, NpgsqlDbType.Bigint));
        p.Add(Array(_tokens, NpgsqlDbType.Integer));
        p.Add(Array(_models, NpgsqlDbType.Text));
        p.Add(Array(_dimensions, NpgsqlDbType.Integer));
        p.Add(Array(_vectors, NpgsqlDbType.Bytea));
        p.Add(Array(_emotions, NpgsqlDbType.Text));
        p.Add(Array(_replies, NpgsqlDbType.Text));
    }

    private static NpgsqlParameter Array<T>(List<T> values, NpgsqlDbType type) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}
