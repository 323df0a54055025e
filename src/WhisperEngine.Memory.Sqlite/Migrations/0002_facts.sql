-- Facts about people and bots, how far fact extraction has read each conversation, and the consolidation of old
-- sessions into summary memories. Times are Unix milliseconds (UTC).

-- One row per fact value. A new value for a key retires the old row (superseded_by points at the new one), so the
-- history stays until the owner deletes it. user_id is '' for a bot's global facts.
CREATE TABLE facts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      TEXT    NOT NULL,
    bot_id         TEXT    NOT NULL,
    user_id        TEXT    NOT NULL,
    subject        INTEGER NOT NULL CHECK (subject IN (0, 1)),
    fact_key       TEXT    NOT NULL CHECK (length(fact_key) BETWEEN 1 AND 64),
    value          TEXT    NOT NULL CHECK (length(value) >= 1),
    confidence     REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    source         TEXT    NOT NULL,
    privacy        INTEGER NOT NULL,
    channel_id     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    retired_at     INTEGER,
    superseded_by  INTEGER REFERENCES facts (id) ON DELETE SET NULL,
    retired_reason TEXT,
    CHECK (superseded_by IS NULL OR retired_at IS NOT NULL)
);

-- The rule that resolves contradictions: one active value per owner, subject and key.
CREATE UNIQUE INDEX ux_facts_active_key ON facts (tenant_id, bot_id, user_id, subject, fact_key) WHERE retired_at IS NULL;
CREATE INDEX ix_facts_owner ON facts (tenant_id, bot_id, user_id, id);

CREATE TABLE fact_extraction_marks (
    tenant_id       TEXT    NOT NULL,
    bot_id          TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    last_message_id INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, bot_id, user_id, channel_id)
);

-- A summary of one old session (a channel's memories of one UTC day). The source memories are kept (with lower
-- importance) and linked here, so a memory is consolidated once; completed_at is set when the summary memory is written.
CREATE TABLE memory_consolidations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    partition_id      INTEGER NOT NULL REFERENCES memory_partitions (id) ON DELETE CASCADE,
    channel_id        TEXT    NOT NULL,
    privacy           INTEGER NOT NULL,
    day               INTEGER NOT NULL,
    summary           TEXT    NOT NULL,
    occurred_at       INTEGER NOT NULL,
    summary_memory_id INTEGER REFERENCES memories (id) ON DELETE SET NULL,
    created_at        INTEGER NOT NULL,
    completed_at      INTEGER
);

CREATE INDEX ix_memory_consolidations_partition ON memory_consolidations (partition_id, completed_at);
CREATE INDEX ix_memory_consolidations_summary ON memory_consolidations (summary_memory_id);

CREATE TABLE memory_consolidation_sources (
    memory_id        INTEGER PRIMARY KEY REFERENCES memories (id) ON DELETE CASCADE,
    consolidation_id INTEGER NOT NULL REFERENCES memory_consolidations (id) ON DELETE CASCADE
);

CREATE INDEX ix_memory_consolidation_sources_consolidation ON memory_consolidation_sources (consolidation_id);
