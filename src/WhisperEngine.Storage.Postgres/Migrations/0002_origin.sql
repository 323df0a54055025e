-- Where a row was copied from (whisperengine migrate): the source store's id and the row's id there.
-- A unique pair makes a re-run after an interruption skip what it already copied.
ALTER TABLE messages ADD COLUMN origin_store TEXT;
ALTER TABLE messages ADD COLUMN origin_id BIGINT;
CREATE UNIQUE INDEX ux_messages_origin ON messages (origin_store, origin_id) WHERE origin_store IS NOT NULL;

ALTER TABLE usage_ledger ADD COLUMN origin_store TEXT;
ALTER TABLE usage_ledger ADD COLUMN origin_id BIGINT;
CREATE UNIQUE INDEX ux_usage_ledger_origin ON usage_ledger (origin_store, origin_id) WHERE origin_store IS NOT NULL;

ALTER TABLE conversations ADD COLUMN origin_store TEXT;
