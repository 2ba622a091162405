-- +goose Up
-- The 发文字号 register (issues 14 and 23): a node's (unit's or
-- district's) 发文机关代字 ("农发") in its 公文设置, and one row per
-- document it has issued with a number, "农发〔2026〕3号". A number is
-- assigned once, when the document is issued, and never reused: rows are
-- never deleted, the sequence is per node and year, and one document
-- (kind and subject) gets one number.
ALTER TABLE doc_settings ADD COLUMN doc_prefix TEXT NOT NULL DEFAULT '';

CREATE TABLE doc_numbers (
    id         INTEGER PRIMARY KEY,
    node_id    INTEGER NOT NULL REFERENCES orgs(id),
    year       INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    prefix     TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    issued_at  INTEGER NOT NULL,
    issued_by  INTEGER REFERENCES users(id),
    UNIQUE (node_id, year, seq),
    UNIQUE (node_id, kind, subject)
);

-- +goose Down
-- Down migrations would drop user data; zhendi never runs them.
SELECT 1;
