-- Relationship counters per memory partition (tenant, bot, user), as in the SQLite schema
-- (Memory.Sqlite/Migrations/0004_relationships.sql). Deleting a partition (forget) deletes its relationship by the
-- foreign key. origin_store says which SQLite store a row was copied from (whisperengine migrate).
CREATE TABLE relationships (
    partition_id    BIGINT  PRIMARY KEY REFERENCES memory_partitions (id) ON DELETE CASCADE,
    -- Exchanges that count towards the level: at most the daily cap (RelationshipRules.DailyCap) per UTC day.
    exchanges       BIGINT  NOT NULL,
    total_exchanges BIGINT  NOT NULL,
    -- Distinct UTC days with an exchange.
    days            INTEGER NOT NULL,
    -- The UTC day (days since 1970-01-01) of the latest exchange, and how many exchanges it had.
    last_day        BIGINT  NOT NULL,
    day_exchanges   INTEGER NOT NULL,
    first_at        BIGINT  NOT NULL,
    last_at         BIGINT  NOT NULL,
    origin_store    TEXT
);
