-- Facts about people and bots, how far fact extraction has read each conversation, and the consolidation of old
-- sessions into summary memories: the same rows as the SQLite schema (Memory.Sqlite/Migrations/0002_facts.sql), times
-- in Unix milliseconds (UTC). origin_store and origin_id say where a row was copied from (whisperengine migrate).

-- One row per fact value. A new value for a key retires the old row (superseded_by points at the new one), so the
-- history stays until the owner deletes it. user_id is '' for a bot's global facts.
CREATE TABLE facts (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      TEXT             NOT NULL,
    bot_id         TEXT             NOT NULL,
    user_id        TEXT             NOT NULL,
    subject        SMALLINT         NOT NULL CHECK (subject IN (0, 1)),
    fact_key       TEXT             NOT NULL CHECK (length(fact_key) BETWEEN 1 AND 64),
    value          TEXT             NOT NULL CHECK (length(value) >= 1),
    confidence     DOUBLE PRECISION NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    source         TEXT             NOT NULL,
    privacy        SMALLINT         NOT NULL,
    channel_id     TEXT             NOT NULL,
    created_at     BIGINT           NOT NULL,
    updated_at     BIGINT           NOT NULL,
    retired_at     BIGINT,
    superseded_by  BIGINT REFERENCES facts (id) ON DELETE SET NULL,
    retired_reason TEXT,
    origin_store   TEXT,
    origin_id      BIGINT,
    CHECK (superseded_by IS NULL OR retired_at IS NOT NULL)
);

-- The rule that resolves contradictions: one active value per owner, subject and key.
CREATE UNIQUE INDEX ux_facts_active_key ON facts (tenant_id, bot_id, user_id, subject, fact_key) WHERE retired_at IS NULL;
CREATE INDEX ix_facts_owner ON facts (tenant_id, bot_id, user_id, id);
CREATE INDEX ix_facts_superseded_by ON facts (superseded_by) WHERE superseded_by IS NOT NULL;
CREATE UNIQUE INDEX ux_facts_origin ON facts (origin_store, origin_id) WHERE origin_store IS NOT NULL;

CREATE TABLE fact_extraction_marks (
    tenant_id       TEXT   NOT NULL,
    bot_id          TEXT   NOT NULL,
    user_id         TEXT   NOT NULL,
    channel_id      TEXT   NOT NULL,
    last_message_id BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, bot_id, user_id, channel_id)
);

-- A summary of one old session (a channel's memories of one UTC day). The source memories are kept (with lower
-- importance) and linked here, so a memory is consolidated once; completed_at is set when the summary memory is
-- written. Memories are keyed by (partition_id, id), so the links name the partition too.
CREATE TABLE memory_consolidations (
    id                BIGSERIAL PRIMARY KEY,
    partition_id      BIGINT   NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    channel_id        TEXT     NOT NULL,
    privacy           SMALLINT NOT NULL,
    day               BIGINT   NOT NULL,
    summary           TEXT     NOT NULL,
    occurred_at       BIGINT   NOT NULL,
    summary_memory_id BIGINT,
    created_at        BIGINT   NOT NULL,
    completed_at      BIGINT,
    origin_store      TEXT,
    origin_id         BIGINT,
    FOREIGN KEY (partition_id, summary_memory_id) REFERENCES memories (partition_id, id) ON DELETE SET NULL (summary_memory_id)
);

CREATE INDEX ix_memory_consolidations_partition ON memory_consolidations (partition_id, completed_at);
CREATE INDEX ix_memory_consolidations_summary ON memory_consolidations (partition_id, summary_memory_id);
CREATE UNIQUE INDEX ux_memory_consolidations_origin ON memory_consolidations (origin_store, origin_id) WHERE origin_store IS NOT NULL;

CREATE TABLE memory_consolidation_sources (
    partition_id     BIGINT NOT NULL,
    memory_id        BIGINT NOT NULL,
    consolidation_id BIGINT NOT NULL REFERENCES memory_consolidations (id) ON DELETE CASCADE,
    PRIMARY KEY (partition_id, memory_id),
    FOREIGN KEY (partition_id, memory_id) REFERENCES memories (partition_id, id) ON DELETE CASCADE
);

CREATE INDEX ix_memory_consolidation_sources_consolidation ON memory_consolidation_sources (consolidation_id);
