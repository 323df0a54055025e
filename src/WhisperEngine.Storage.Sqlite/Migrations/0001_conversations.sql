-- Conversations, messages and the usage ledger. Times are Unix milliseconds (UTC).
CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT    NOT NULL,
    bot_id      TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    channel_id  TEXT    NOT NULL,
    privacy     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, bot_id, user_id, channel_id)
);

-- AUTOINCREMENT: ids are never reused, so id order is arrival order even after deletes.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            INTEGER NOT NULL,
    content         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    token_count     INTEGER NOT NULL,
    flags           INTEGER NOT NULL DEFAULT 0,
    model           TEXT
);

CREATE INDEX ix_messages_conversation ON messages (conversation_id, id);

CREATE TABLE usage_ledger (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ts                INTEGER NOT NULL,
    tenant_id         TEXT    NOT NULL,
    bot_id            TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    task              TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    provider          TEXT    NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens     INTEGER NOT NULL,
    tokens_estimated  INTEGER NOT NULL,
    cost_usd          TEXT,
    latency_ms        REAL    NOT NULL,
    ttft_ms           REAL,
    outcome           TEXT    NOT NULL,
    routing_reason    TEXT
);

CREATE INDEX ix_usage_ledger_ts ON usage_ledger (ts);
CREATE INDEX ix_usage_ledger_bot ON usage_ledger (tenant_id, bot_id, ts);
