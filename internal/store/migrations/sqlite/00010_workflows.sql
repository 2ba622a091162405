-- +goose Up
-- Workflow guarantees (issue 14 C3, C4) and authentication (issue 15 items 13, 14).

-- 三校: 1 = the required proofreading rounds need as many different people
-- (the default); 0 = the unit allows one person to proofread more than once.
ALTER TABLE info_config ADD COLUMN proof_distinct INTEGER NOT NULL DEFAULT 1;

-- A unit's rectification settings: evidence_optional = 1 lets an item be
-- submitted for verification with written progress only, no 佐证材料.
CREATE TABLE rect_config (
    unit_id           INTEGER PRIMARY KEY REFERENCES orgs(id),
    evidence_optional INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

-- Everyone who worked on a rectification item (started, reported progress,
-- uploaded evidence, submitted it): none of them may verify it.
CREATE TABLE rect_workers (
    rect_id INTEGER NOT NULL REFERENCES rectifications(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (rect_id, user_id)
);

-- Failed logins for names that have no account, counted like a real
-- account's so that a lockout does not tell which names exist. name_key is
-- the SHA-256 of the lower-cased typed name (the name itself is not kept).
CREATE TABLE login_failures (
    name_key     TEXT PRIMARY KEY,
    failed       INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    last_at      INTEGER NOT NULL
);

-- Why a password must be changed at the next login: 'created' (an account
-- an administrator made), 'reset' (an administrator's reset) or 'expired'
-- (the periodic change); '' with must_change_pw = 1 is an old reset.
ALTER TABLE users ADD COLUMN must_change_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
