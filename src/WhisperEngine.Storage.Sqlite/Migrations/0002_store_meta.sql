-- Facts about this database itself. store_id names it when it is copied elsewhere (migrate), so that
-- a re-run recognises the rows it already copied.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

INSERT INTO store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
