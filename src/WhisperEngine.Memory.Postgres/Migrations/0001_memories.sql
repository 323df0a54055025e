-- Long-term memory: the same rows as the SQLite schema (Memory.Sqlite/Migrations/0001_memories.sql), times in Unix
-- milliseconds (UTC), so that a desktop database moves here value for value. A vector is a little-endian float32
-- bytea tagged with the model that made it and its dimension (bytea rather than real[]: it loads faster, see
-- docs/memory.md); vectors of different models are never compared.
CREATE TABLE memory_partitions (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    TEXT   NOT NULL,
    bot_id       TEXT   NOT NULL,
    user_id      TEXT   NOT NULL,
    -- Kept by the triggers below: the N of the keyword search's inverse document frequency.
    memory_count BIGINT NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, bot_id, user_id)
);

-- Every query names a partition, and the primary key leads with it, so a partition's rows are one index range (and the
-- table can be hash-partitioned on partition_id without changing a query). Ids come from one sequence: never reused,
-- so an id held by a vector index never names a newer memory.
CREATE TABLE memories (
    id               BIGSERIAL,
    partition_id     BIGINT   NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    channel_id       TEXT     NOT NULL,
    privacy          SMALLINT NOT NULL,
    speaker          TEXT     NOT NULL,
    text             TEXT     NOT NULL,
    context          TEXT,
    occurred_at      BIGINT   NOT NULL,
    created_at       BIGINT   NOT NULL,
    importance       REAL     NOT NULL DEFAULT 0.5,
    access_count     INTEGER  NOT NULL DEFAULT 0,
    last_accessed_at BIGINT,
    token_count      INTEGER  NOT NULL,
    embedding_model  TEXT,
    embedding_dims   INTEGER,
    embedding        BYTEA,
    -- The keyword entry: the text (weight A), the speaker's name (B), the message answered (C), and the partition as a
    -- lexeme of its own (D), so that the GIN index intersects a search with one partition instead of ranking every
    -- user's matches and filtering afterwards. 'english' stems as SQLite's porter tokenizer does.
    search           TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', text), 'A')
        || setweight(to_tsvector('english', speaker), 'B')
        || setweight(to_tsvector('english', coalesce(context, '')), 'C')
        || setweight(to_tsvector('simple', 'p' || partition_id::text), 'D')) STORED,
    -- Where a row was copied from (whisperengine migrate): the source store's id and the row's id there.
    origin_store     TEXT,
    origin_id        BIGINT,
    PRIMARY KEY (partition_id, id),
    CHECK ((embedding IS NULL) = (embedding_model IS NULL) AND (embedding IS NULL) = (embedding_dims IS NULL)),
    CHECK (embedding IS NULL OR length(embedding) = 4 * embedding_dims)
);

-- Vectors are incompressible floats: store them inline or out of line without trying to compress them.
ALTER TABLE memories ALTER COLUMN embedding SET STORAGE EXTERNAL;

CREATE INDEX ix_memories_search ON memories USING GIN (search);
CREATE UNIQUE INDEX ux_memories_origin ON memories (origin_store, origin_id) WHERE origin_store IS NOT NULL;

-- Document frequency of each lexeme of a partition's texts and contexts (weights A and C), kept by the triggers below:
-- with memory_partitions.memory_count it gives the keyword search an IDF per partition without counting matches.
CREATE TABLE memory_terms (
    partition_id BIGINT  NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    lexeme       TEXT    NOT NULL,
    df           INTEGER NOT NULL,
    PRIMARY KEY (partition_id, lexeme)
);

-- Statement-level, so a batch (whisperengine migrate) costs one aggregate, not one upsert per row. The partition row
-- is locked before the terms, in the same order as a partition delete takes them, so the two cannot deadlock; terms
-- are upserted in key order, so concurrent writers of one partition cannot either.
CREATE FUNCTION memory_stats_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE memory_partitions p SET memory_count = p.memory_count + n.c
    FROM (SELECT partition_id, count(*) AS c FROM new_rows GROUP BY partition_id) n
    WHERE p.id = n.partition_id;
    INSERT INTO memory_terms (partition_id, lexeme, df)
    SELECT r.partition_id, l.lexeme, count(*)
    FROM new_rows r, unnest(tsvector_to_array(ts_filter(r.search, '{a,c}'))) AS l(lexeme)
    GROUP BY r.partition_id, l.lexeme
    ORDER BY r.partition_id, l.lexeme
    ON CONFLICT (partition_id, lexeme) DO UPDATE SET df = memory_terms.df + EXCLUDED.df;
    RETURN NULL;
END;
$$;

-- When a whole partition is deleted (its memory_partitions row first, the rest by cascade) there is nothing left to
-- count: only rows of partitions that still exist are subtracted.
CREATE FUNCTION memory_stats_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH live AS (
        UPDATE memory_partitions p SET memory_count = p.memory_count - o.c
        FROM (SELECT partition_id, count(*) AS c FROM old_rows GROUP BY partition_id) o
        WHERE p.id = o.partition_id
        RETURNING p.id)
    UPDATE memory_terms t SET df = t.df - o.c
    FROM (SELECT r.partition_id, l.lexeme, count(*) AS c
          FROM old_rows r, unnest(tsvector_to_array(ts_filter(r.search, '{a,c}'))) AS l(lexeme)
          WHERE r.partition_id IN (SELECT id FROM live)
          GROUP BY r.partition_id, l.lexeme) o
    WHERE t.partition_id = o.partition_id AND t.lexeme = o.lexeme;
    RETURN NULL;
END;
$$;

-- Only rows whose keyword entry changed count (access recording and re-embedding do not touch it). A memory never
-- moves to another partition.
CREATE FUNCTION memory_stats_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changed AS (
        SELECT o.partition_id, o.search AS old_search, n.search AS new_search
        FROM old_rows o JOIN new_rows n ON n.partition_id = o.partition_id AND n.id = o.id
        WHERE o.search IS DISTINCT FROM n.search),
    delta AS (
        SELECT partition_id, lexeme, sum(d) AS d FROM (
            SELECT c.partition_id, l.lexeme, -1 AS d FROM changed c, unnest(tsvector_to_array(ts_filter(c.old_search, '{a,c}'))) AS l(lexeme)
            UNION ALL
            SELECT c.partition_id, l.lexeme, 1 FROM changed c, unnest(tsvector_to_array(ts_filter(c.new_search, '{a,c}'))) AS l(lexeme)) x
        GROUP BY partition_id, lexeme
        HAVING sum(d) <> 0)
    INSERT INTO memory_terms (partition_id, lexeme, df)
    SELECT partition_id, lexeme, d FROM delta ORDER BY partition_id, lexeme
    ON CONFLICT (partition_id, lexeme) DO UPDATE SET df = memory_terms.df + EXCLUDED.df;
    RETURN NULL;
END;
$$;

CREATE TRIGGER memories_stats_insert AFTER INSERT ON memories
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memory_stats_insert();
CREATE TRIGGER memories_stats_delete AFTER DELETE ON memories
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memory_stats_delete();
CREATE TRIGGER memories_stats_update AFTER UPDATE ON memories
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memory_stats_update();
