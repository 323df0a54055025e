using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Postgres;

public sealed partial class PostgresMemoryStore : IMemoryClusterStore
{
    public async ValueTask<IReadOnlyList<MemoryCluster>> GetClustersAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT c.cluster_id, c.label, c.size, c.members_at_build, c.embedding_model, c.embedding_dims, c.centroid, c.created_at
                FROM memory_clusters c JOIN memory_partitions p ON p.id = c.partition_id
                WHERE {PartitionKey} ORDER BY c.cluster_id;
                """);
            AddPartition(command, partition);
            var clusters = new List<MemoryCluster>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var (id, label, size, atBuild, model, dims) = (r.GetInt32(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetString(4), r.GetInt32(5));
                float[] centroid;
                await using (var stream = await r.GetStreamAsync(6, cancellationToken))
                {
                    centroid = VectorBytes.Read(stream, dims);
                }

                clusters.Add(new MemoryCluster(id, label, size, atBuild, new EmbeddingModelId(model, dims), centroid,
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7))));
            }

            return clusters;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "reading memory clusters");
        }
    }

    public async ValueTask ReplaceClustersAsync(MemoryPartition partition, IReadOnlyList<MemoryCluster> clusters, IReadOnlyList<ClusterAssignment> assignments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(assignments);
        await InPartitionAsync(partition, "storing memory clusters", async (connection, partitionId) =>
        {
            await using (var clear = new NpgsqlCommand("""
                DELETE FROM memory_clusters WHERE partition_id = $1;
                """, connection))
            {
                clear.Parameters.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
                await clear.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await using (var unassign = new NpgsqlCommand("UPDATE memories SET cluster_id = NULL WHERE partition_id = $1 AND cluster_id IS NOT NULL;", connection))
            {
                unassign.Parameters.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
                await unassign.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await using (var insert = new NpgsqlCommand("""
                INSERT INTO memory_clusters (partition_id, cluster_id, label, size, members_at_build, embedding_model, embedding_dims, centroid, created_at)
                SELECT $1, c, l, s, s, m, d, v, a FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::int[], $7::bytea[], $8::bigint[]) AS x(c, l, s, m, d, v, a);
                """, connection))
            {
                var p = insert.Parameters;
                p.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
                p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. clusters.Select(c => c.Id)] });
                p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. clusters.Select(c => c.Label)] });
                p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. clusters.Select(c => c.MembersAtBuild)] });
                p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. clusters.Select(c => c.Model.Model)] });
                p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. clusters.Select(c => c.Model.Dimensions)] });
                p.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. clusters.Select(c => VectorBytes.ToBytes(c.Centroid))] });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. clusters.Select(c => c.BuiltAt.ToUnixTimeMilliseconds())] });
                await insert.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await SetClusterIdsAsync(connection, partitionId, assignments);
        }, cancellationToken);
    }

    public async ValueTask AssignClustersAsync(MemoryPartition partition, IReadOnlyList<ClusterAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Count == 0)
        {
            return;
        }

        await InPartitionAsync(partition, "assigning memory clusters", async (connection, partitionId) =>
        {
            await SetClusterIdsAsync(connection, partitionId, assignments);
            await using var sizes = new NpgsqlCommand("""
                UPDATE memory_clusters c SET size = (SELECT COUNT(*) FROM memories m WHERE m.partition_id = c.partition_id AND m.cluster_id = c.cluster_id)
                WHERE c.partition_id = $1;
                """, connection);
            sizes.Parameters.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
            await sizes.ExecuteNonQueryAsync(CancellationToken.None);
        }, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MemoryVectorEntry>> GetUnclusteredAsync(MemoryPartition partition, EmbeddingModelId model, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT m.id, m.channel_id, m.privacy, m.embedding FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
                WHERE {PartitionKey} AND m.cluster_id IS NULL AND m.embedding_model = $4 AND m.embedding_dims = $5
                ORDER BY m.id LIMIT $6;
                """);
            AddPartition(command, partition);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model.Model });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = model.Dimensions });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var entries = new List<MemoryVectorEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (id, channel, privacy) = (reader.GetInt64(0), reader.GetString(1), (PrivacyLevel)reader.GetInt16(2));
                await using var vector = await reader.GetStreamAsync(3, cancellationToken);
                entries.Add(new MemoryVectorEntry(id, channel, privacy, VectorBytes.Read(vector, model.Dimensions)));
            }

            return entries;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "reading unclustered memories");
        }
    }

    public async ValueTask<IReadOnlyList<ClusteringCandidate>> GetClusteringCandidatesAsync(EmbeddingModelId model, int minUnclustered, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            // ix_memories_unclustered holds only memories without a cluster: the sweep never reads the clustered ones.
            await using var command = _db.DataSource.CreateCommand("""
                SELECT p.tenant_id, p.bot_id, p.user_id, u.n FROM (
                    SELECT partition_id, COUNT(*) AS n FROM memories
                    WHERE cluster_id IS NULL AND embedding_model = $1 AND embedding_dims = $2
                    GROUP BY partition_id HAVING COUNT(*) >= $3
                ) u JOIN memory_partitions p ON p.id = u.partition_id
                ORDER BY u.n DESC, p.id LIMIT $4;
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model.Model });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = model.Dimensions });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(1, minUnclustered) });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var candidates = new List<ClusteringCandidate>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                candidates.Add(new ClusteringCandidate(new MemoryPartition(r.GetString(0), r.GetString(1), r.GetString(2)), r.GetInt64(3)));
            }

            return candidates;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "finding partitions to cluster");
        }
    }

    /// <summary>Sets cluster ids in one statement, inside the caller's transaction; ids of other partitions change nothing.</summary>
    private static async Task SetClusterIdsAsync(NpgsqlConnection connection, long partitionId, IReadOnlyList<ClusterAssignment> assignments)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE memories m SET cluster_id = x.c FROM unnest($2::bigint[], $3::int[]) AS x(i, c)
            WHERE m.partition_id = $1 AND m.id = x.i;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. assignments.Select(a => a.MemoryId)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. assignments.Select(a => a.ClusterId)] });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// One transaction on an existing partition whose row is locked first (as memory writes and partition deletes take
    /// it), so a re-clustering and a forget of the same partition queue; does nothing when the partition does not exist.
    /// </summary>
    private async ValueTask InPartitionAsync(MemoryPartition partition, string operation, Func<NpgsqlConnection, long, Task> write,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _db.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long partitionId;
            await using (var find = new NpgsqlCommand($"SELECT p.id FROM memory_partitions p WHERE {PartitionKey} FOR UPDATE;", connection))
            {
                AddPartition(find, partition);
                if (await find.ExecuteScalarAsync(cancellationToken) is not long id)
                {
                    return;
                }

                partitionId = id;
            }

            await write(connection, partitionId);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, operation);
        }
    }
}
