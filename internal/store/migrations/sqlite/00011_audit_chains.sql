-- +goose Up
-- Keyed audit chains, one per unit (see internal/audit). Existing entries
-- stay as they are (v = 1, the old unkeyed chain) and stay verifiable; the
-- first keyed entry, written at the next start, seals them. Nothing is
-- rewritten or dropped.
ALTER TABLE audit_log ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN chain INTEGER;
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
CREATE UNIQUE INDEX audit_chain_seq ON audit_log(chain, seq) WHERE chain IS NOT NULL;
CREATE INDEX audit_at ON audit_log(at_us);
CREATE INDEX audit_actor ON audit_log(actor_id, id);

-- The head of every chain (unit id, 0 installation-wide): appends lock only
-- their own unit's row. Row -1 is the id counter, which never goes back, so
-- an id is never given twice even after the newest rows were deleted.
CREATE TABLE audit_heads (
    chain INTEGER PRIMARY KEY,
    seq   INTEGER NOT NULL,
    hash  TEXT    NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash) SELECT -1, COALESCE(MAX(id), 0), '' FROM audit_log;
