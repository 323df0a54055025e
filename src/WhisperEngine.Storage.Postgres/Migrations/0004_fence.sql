-- The highest fencing token that has written to a conversation (see IFencedLease): a write with an older token
-- is refused, so a process whose conversation lock expired cannot write after the process that took over.
ALTER TABLE conversations ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
