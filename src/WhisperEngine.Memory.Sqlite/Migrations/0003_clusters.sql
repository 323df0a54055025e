-- Topic clusters of a partition's memories, and the reply a memory got (indexed for keyword search).
--
-- memory_clusters: one row per cluster of a partition (spherical k-means over one model's vectors): its centroid
-- (float32 BLOB, so new memories are assigned to the nearest one without re-clustering), size (now, and when it was
-- built: the difference tells when a full re-clustering is due) and a label of top keywords. memories.cluster_id names a row of it (NULL: not clustered yet). A full re-clustering replaces every row
-- of the partition.
CREATE TABLE memory_clusters (
    partition_id    INTEGER NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    cluster_id      INTEGER NOT NULL,
    label           TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    members_at_build INTEGER NOT NULL,
    embedding_model TEXT    NOT NULL,
    embedding_dims  INTEGER NOT NULL,
    centroid        BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (partition_id, cluster_id),
    CHECK (length(centroid) = 4 * embedding_dims)
);

ALTER TABLE memories ADD COLUMN cluster_id INTEGER;

-- The clustering sweep looks for partitions with memories in no cluster; this index holds only those.
CREATE INDEX ix_memories_unclustered ON memories (partition_id, embedding_model) WHERE cluster_id IS NULL;

-- The message that answered this memory ("Speaker: text"), set when the answer is written (NewMemory.InReplyTo).
-- "What did Melanie say about the meteor shower?" finds the turn that asked about it by the words of its answer.
ALTER TABLE memories ADD COLUMN reply TEXT;

-- The keyword index gains the reply as a column: rebuilt from the table.
DROP TRIGGER memories_fts_insert;
DROP TRIGGER memories_fts_delete;
DROP TRIGGER memories_fts_update;
DROP TABLE memories_fts;

CREATE VIRTUAL TABLE memories_fts USING fts5 (
    fts_partition, speaker, text, context, reply,
    content = 'memories', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO memories_fts (memories_fts) VALUES ('rebuild');

CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memories_fts (rowid, fts_partition, speaker, text, context, reply)
    VALUES (new.id, 'p' || new.partition_id, new.speaker, new.text, new.context, new.reply);
END;

CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, fts_partition, speaker, text, context, reply)
    VALUES ('delete', old.id, 'p' || old.partition_id, old.speaker, old.text, old.context, old.reply);
END;

CREATE TRIGGER memories_fts_update AFTER UPDATE OF partition_id, speaker, text, context, reply ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, fts_partition, speaker, text, context, reply)
    VALUES ('delete', old.id, 'p' || old.partition_id, old.speaker, old.text, old.context, old.reply);
    INSERT INTO memories_fts (rowid, fts_partition, speaker, text, context, reply)
    VALUES (new.id, 'p' || new.partition_id, new.speaker, new.text, new.context, new.reply);
END;
