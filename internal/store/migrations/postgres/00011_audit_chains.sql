-- +goose Up
-- Keyed audit chains, one per unit (see internal/audit). Existing entries
-- stay as they are (v = 1, the old unkeyed chain) and stay verifiable; the
-- first keyed entry, written at the next start, seals them. Nothing is
-- rewritten or dropped.
ALTER TABLE audit_log ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN chain BIGINT;
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
CREATE UNIQUE INDEX audit_chain_seq ON audit_log(chain, seq) WHERE chain IS NOT NULL;
CREATE INDEX audit_at ON audit_log(at_us);
CREATE INDEX audit_actor ON audit_log(actor_id, id);

-- The head of every chain (unit id, 0 installation-wide): appends lock only
-- their own unit's row, so units write in parallel.
CREATE TABLE audit_heads (
    chain BIGINT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT   NOT NULL
);
-- Entry ids come from a sequence, which never gives a value twice (gaps
-- after a rollback are fine: positions within a chain are what must be
-- consecutive).
CREATE SEQUENCE audit_ids;
SELECT setval('audit_ids', COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);
