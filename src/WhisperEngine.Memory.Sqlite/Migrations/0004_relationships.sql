-- Relationship counters per memory partition (tenant, bot, user), and the emotion label of a memory.
-- Deleting a partition (forget) deletes its relationship by the foreign key.
CREATE TABLE relationships (
    partition_id    INTEGER PRIMARY KEY REFERENCES memory_partitions (id) ON DELETE CASCADE,
    -- Exchanges that count towards the level: at most the daily cap (RelationshipRules.DailyCap) per UTC day.
    exchanges       INTEGER NOT NULL,
    total_exchanges INTEGER NOT NULL,
    -- Distinct UTC days with an exchange.
    days            INTEGER NOT NULL,
    -- The UTC day (days since 1970-01-01) of the latest exchange, and how many exchanges it had.
    last_day        INTEGER NOT NULL,
    day_exchanges   INTEGER NOT NULL,
    first_at        INTEGER NOT NULL,
    last_at         INTEGER NOT NULL
);

-- joy, sadness, anger, fear, surprise, affection, neutral; NULL when not classified.
ALTER TABLE memories ADD COLUMN emotion TEXT;
