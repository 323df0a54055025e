-- Topic clusters of a partition's memories, as in the SQLite schema (Memory.Sqlite/Migrations/0003_clusters.sql): one
-- row per cluster (spherical k-means over one model's vectors) with its centroid (float32 bytea, so new memories are
-- assigned to the nearest one without re-clustering), size now and when built, and a label of top keywords.
-- memories.cluster_id names a row of it (NULL: not clustered yet). A full re-clustering replaces every row of the partition.
CREATE TABLE memory_clusters (
    partition_id     BIGINT  NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    cluster_id       INTEGER NOT NULL,
    label            TEXT    NOT NULL,
    size             INTEGER NOT NULL,
    members_at_build INTEGER NOT NULL,
    embedding_model  TEXT    NOT NULL,
    embedding_dims   INTEGER NOT NULL,
    centroid         BYTEA   NOT NULL,
    created_at       BIGINT  NOT NULL,
    PRIMARY KEY (partition_id, cluster_id),
    CHECK (length(centroid) = 4 * embedding_dims)
);

ALTER TABLE memories ADD COLUMN cluster_id INTEGER;

-- The clustering sweep looks for partitions with memories in no cluster; this index holds only those.
CREATE INDEX ix_memories_unclustered ON memories (partition_id, embedding_model) WHERE cluster_id IS NULL;
