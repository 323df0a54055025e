-- Conversations, messages and the usage ledger. Times are Unix milliseconds (UTC), as in the SQLite schema,
-- so that a desktop database moves here value for value.
CREATE TABLE conversations (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   TEXT     NOT NULL,
    bot_id      TEXT     NOT NULL,
    user_id     TEXT     NOT NULL,
    channel_id  TEXT     NOT NULL,
    privacy     SMALLINT NOT NULL,
    created_at  BIGINT   NOT NULL,
    UNIQUE (tenant_id, bot_id, user_id, channel_id)
);

CREATE TABLE messages (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT   NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            SMALLINT NOT NULL,
    content         TEXT     NOT NULL,
    created_at      BIGINT   NOT NULL,
    token_count     INTEGER  NOT NULL,
    flags           INTEGER  NOT NULL DEFAULT 0,
    model           TEXT
);

CREATE INDEX ix_messages_conversation ON messages (conversation_id, id);

CREATE TABLE usage_ledger (
    id                BIGSERIAL PRIMARY KEY,
    ts                BIGINT           NOT NULL,
    tenant_id         TEXT             NOT NULL,
    bot_id            TEXT             NOT NULL,
    user_id           TEXT             NOT NULL,
    task              TEXT             NOT NULL,
    model             TEXT             NOT NULL,
    provider          TEXT             NOT NULL,
    prompt_tokens     INTEGER          NOT NULL,
    completion_tokens INTEGER          NOT NULL,
    cached_tokens     INTEGER          NOT NULL,
    tokens_estimated  BOOLEAN          NOT NULL,
    cost_usd          NUMERIC(18, 10),
    latency_ms        DOUBLE PRECISION NOT NULL,
    ttft_ms           DOUBLE PRECISION,
    outcome           TEXT             NOT NULL,
    routing_reason    TEXT
);

CREATE INDEX ix_usage_ledger_ts ON usage_ledger (ts);
CREATE INDEX ix_usage_ledger_bot ON usage_ledger (tenant_id, bot_id, ts);
