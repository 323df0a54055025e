using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Sqlite;

public sealed partial class SqliteMemoryStore
{
    public async ValueTask<IReadOnlyList<MemoryCluster>> GetClustersAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT cluster_id, label, size, members_at_build, embedding_model, embedding_dims, centroid, created_at
                FROM memory_clusters WHERE partition_id = $partition ORDER BY cluster_id;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            var clusters = new List<MemoryCluster>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                clusters.Add(new MemoryCluster(r.GetInt32(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), new EmbeddingModelId(r.GetString(4), r.GetInt32(5)),
                    VectorBlob.FromBytes(r.GetFieldValue<byte[]>(6)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7))));
            }

            return clusters;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading memory clusters");
        }
    }

    public async ValueTask ReplaceClustersAsync(MemoryPartition partition, IReadOnlyList<MemoryCluster> clusters, IReadOnlyList<ClusterAssignment> assignments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(assignments);
        await WriteAsync(partition, "storing memory clusters", async (command, partitionId) =>
        {
            command.CommandText = """
                DELETE FROM memory_clusters WHERE partition_id = $partition;
                UPDATE memories SET cluster_id = NULL WHERE partition_id = $partition AND cluster_id IS NOT NULL;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            await command.ExecuteNonQueryAsync(CancellationToken.None);

            command.CommandText = """
                INSERT INTO memory_clusters (partition_id, cluster_id, label, size, members_at_build, embedding_model, embedding_dims, centroid, created_at)
                VALUES ($partition, $cluster, $label, $size, $size, $model, $dims, $centroid, $at);
                """;
            var cluster = command.Parameters.Add("$cluster", SqliteType.Integer);
            var label = command.Parameters.Add("$label", SqliteType.Text);
            var size = command.Parameters.Add("$size", SqliteType.Integer);
            var model = command.Parameters.Add("$model", SqliteType.Text);
            var dims = command.Parameters.Add("$dims", SqliteType.Integer);
            var centroid = command.Parameters.Add("$centroid", SqliteType.Blob);
            var at = command.Parameters.Add("$at", SqliteType.Integer);
            foreach (var c in clusters)
            {
                (cluster.Value, label.Value, size.Value) = (c.Id, c.Label, c.MembersAtBuild);
                (model.Value, dims.Value, centroid.Value, at.Value) = (c.Model.Model, c.Model.Dimensions, VectorBlob.ToBytes(c.Centroid), c.BuiltAt.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            command.Parameters.Clear();
            await SetClusterIdsAsync(command, partitionId, assignments);
            return clusters.Count;
        }, cancellationToken);
    }

    public async ValueTask AssignClustersAsync(MemoryPartition partition, IReadOnlyList<ClusterAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Count == 0)
        {
            return;
        }

        await WriteAsync(partition, "assigning memory clusters", async (command, partitionId) =>
        {
            await SetClusterIdsAsync(command, partitionId, assignments);
            command.Parameters.Clear();
            command.CommandText = """
                UPDATE memory_clusters SET size = (SELECT COUNT(*) FROM memories m WHERE m.partition_id = $partition AND m.cluster_id = memory_clusters.cluster_id)
                WHERE partition_id = $partition;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            return await command.ExecuteNonQueryAsync(CancellationToken.None);
        }, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MemoryVectorEntry>> GetUnclusteredAsync(MemoryPartition partition, EmbeddingModelId model, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT id, channel_id, privacy, embedding FROM memories
                WHERE partition_id = $partition AND cluster_id IS NULL AND embedding_model = $model AND embedding_dims = $dims
                ORDER BY id LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            command.Parameters.AddWithValue("$model", model.Model);
            command.Parameters.AddWithValue("$dims", model.Dimensions);
            command.Parameters.AddWithValue("$limit", limit);
            var entries = new List<MemoryVectorEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new MemoryVectorEntry(reader.GetInt64(0), reader.GetString(1), (PrivacyLevel)reader.GetInt32(2),
                    VectorBlob.FromBytes(reader.GetFieldValue<byte[]>(3))));
            }

            return entries;
        }
        catch (SqliteException ex)
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
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // ix_memories_unclustered holds only memories without a cluster: the sweep never reads the clustered ones.
            command.CommandText = """
                SELECT p.tenant_id, p.bot_id, p.user_id, u.n FROM (
                    SELECT partition_id, COUNT(*) AS n FROM memories
                    WHERE cluster_id IS NULL AND embedding_model = $model AND embedding_dims = $dims
                    GROUP BY partition_id HAVING COUNT(*) >= $min
                ) u JOIN memory_partitions p ON p.id = u.partition_id
                ORDER BY u.n DESC, p.id LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$model", model.Model);
            command.Parameters.AddWithValue("$dims", model.Dimensions);
            command.Parameters.AddWithValue("$min", Math.Max(1, minUnclustered));
            command.Parameters.AddWithValue("$limit", limit);
            var candidates = new List<ClusteringCandidate>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                candidates.Add(new ClusteringCandidate(new MemoryPartition(r.GetString(0), r.GetString(1), r.GetString(2)), r.GetInt64(3)));
            }

            return candidates;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "finding partitions to cluster");
        }
    }

    /// <summary>Sets cluster ids with one prepared statement, inside the caller's transaction.</summary>
    private static async Task SetClusterIdsAsync(SqliteCommand command, long partitionId, IReadOnlyList<ClusterAssignment> assignments)
    {
        command.CommandText = "UPDATE memories SET cluster_id = $cluster WHERE id = $id AND partition_id = $partition;";
        command.Parameters.AddWithValue("$partition", partitionId);
        var cluster = command.Parameters.Add("$cluster", SqliteType.Integer);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var assignment in assignments)
        {
            (cluster.Value, id.Value) = (assignment.ClusterId, assignment.MemoryId);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
