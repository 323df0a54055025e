-- The emotion a memory's words showed, and the message that answered it, as in the SQLite schema
-- (Memory.Sqlite/Migrations/0003_clusters.sql and 0004_relationships.sql).

-- joy, sadness, anger, fear, surprise, affection, neutral; NULL when not classified.
ALTER TABLE memories ADD COLUMN emotion TEXT;

-- The message that answered this memory ("Speaker: text"), set when the answer is written (NewMemory.InReplyTo):
-- "What did Melanie say about the meteor shower?" finds the turn that asked about it by the words of its answer.
ALTER TABLE memories ADD COLUMN reply TEXT;

-- The keyword entry gains the reply at the context's weight (C: 0.3 of a match in the text, as SQLite's bm25 column
-- weights give both). PostgreSQL 15 cannot change a generated column's expression, so the column is made again; the
-- term statistics stay right, as every existing reply is NULL and the new entry of each row equals its old one.
ALTER TABLE memories DROP COLUMN search;
ALTER TABLE memories ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('english', text), 'A')
    || setweight(to_tsvector('english', speaker), 'B')
    || setweight(to_tsvector('english', coalesce(context, '')), 'C')
    || setweight(to_tsvector('english', coalesce(reply, '')), 'C')
    || setweight(to_tsvector('simple', 'p' || partition_id::text), 'D')) STORED;

CREATE INDEX ix_memories_search ON memories USING GIN (search);
