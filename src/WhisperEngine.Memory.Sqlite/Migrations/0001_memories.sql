-- Long-term memory. Times are Unix milliseconds (UTC). A vector is a little-endian float32 BLOB tagged with the
-- model that made it and its dimension: vectors of different models are never compared, and memories whose vector
-- is missing or of another model are found by a query and re-embedded.
CREATE TABLE memory_partitions (
    id        INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    bot_id    TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    UNIQUE (tenant_id, bot_id, user_id)
);

-- AUTOINCREMENT: ids are never reused, so an id held by a vector index never names a newer memory.
CREATE TABLE memories (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    partition_id     INTEGER NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    channel_id       TEXT    NOT NULL,
    privacy          INTEGER NOT NULL,
    speaker          TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    context          TEXT,
    occurred_at      INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    importance       REAL    NOT NULL DEFAULT 0.5,
    access_count     INTEGER NOT NULL DEFAULT 0,
    last_accessed_at INTEGER,
    token_count      INTEGER NOT NULL,
    embedding_model  TEXT,
    embedding_dims   INTEGER,
    embedding        BLOB,
    -- The partition as a word of the keyword index, so that a search intersects with one partition inside FTS5
    -- instead of ranking every user's matches and filtering afterwards.
    fts_partition    TEXT GENERATED ALWAYS AS ('p' || partition_id) VIRTUAL,
    CHECK ((embedding IS NULL) = (embedding_model IS NULL) AND (embedding IS NULL) = (embedding_dims IS NULL)),
    CHECK (embedding IS NULL OR length(embedding) = 4 * embedding_dims)
);

CREATE INDEX ix_memories_partition ON memories (partition_id, id);

CREATE VIRTUAL TABLE memories_fts USING fts5 (
    fts_partition, speaker, text, context,
    content = 'memories', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memories_fts (rowid, fts_partition, speaker, text, context)
    VALUES (new.id, 'p' || new.partition_id, new.speaker, new.text, new.context);
END;

CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, fts_partition, speaker, text, context)
    VALUES ('delete', old.id, 'p' || old.partition_id, old.speaker, old.text, old.context);
END;

CREATE TRIGGER memories_fts_update AFTER UPDATE OF partition_id, speaker, text, context ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, fts_partition, speaker, text, context)
    VALUES ('delete', old.id, 'p' || old.partition_id, old.speaker, old.text, old.context);
    INSERT INTO memories_fts (rowid, fts_partition, speaker, text, context)
    VALUES (new.id, 'p' || new.partition_id, new.speaker, new.text, new.context);
END;
