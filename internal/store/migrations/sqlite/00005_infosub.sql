-- +goose Up
-- 信息报送 and 三审三校 (issue 7). Timestamps unix seconds, dates 'YYYY-MM-DD'.

-- Per-unit settings: review chain, points per adoption level, default monthly
-- quota per department, proofreading rounds, step deadline (JSON where a list).
CREATE TABLE info_config (
    unit_id       INTEGER PRIMARY KEY REFERENCES orgs(id),
    chain_json    TEXT    NOT NULL DEFAULT '',
    points_json   TEXT    NOT NULL DEFAULT '',
    quota         INTEGER NOT NULL DEFAULT 0,
    proof_rounds  INTEGER NOT NULL DEFAULT 3,
    step_days     INTEGER NOT NULL DEFAULT 2,
    updated_at    INTEGER NOT NULL
);

-- Monthly quota of one department (overrides the unit default).
CREATE TABLE info_quotas (
    org_id  INTEGER PRIMARY KEY REFERENCES orgs(id),
    unit_id INTEGER NOT NULL REFERENCES orgs(id),
    monthly INTEGER NOT NULL
);

CREATE TABLE info_drafts (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),   -- department that submits it
    author_id      INTEGER REFERENCES users(id),
    author_name    TEXT    NOT NULL DEFAULT '',
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL DEFAULT '',            -- sanitised HTML
    body_text      TEXT    NOT NULL DEFAULT '',            -- plain text (screening, diff, search)
    category       TEXT    NOT NULL DEFAULT '',
    activity_id    INTEGER REFERENCES activities(id),
    status         TEXT    NOT NULL CHECK (status IN ('draft','review','returned','approved','published','withdrawn')),
    step           INTEGER NOT NULL DEFAULT 0,             -- index in chain while in review
    chain_json     TEXT    NOT NULL DEFAULT '',            -- chain fixed at submission
    version        INTEGER NOT NULL DEFAULT 0,             -- latest stored version
    cycle          INTEGER NOT NULL DEFAULT 0,             -- submission count (a return starts a new cycle)
    submitted_date TEXT,                                   -- first submission day (撰写整理 counts)
    submitted_at   INTEGER,
    step_due       INTEGER,                                -- deadline of the current step
    approved_at    INTEGER,
    approved_date  TEXT,                                   -- 终审通过 day
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER
);
CREATE INDEX info_drafts_unit_sub ON info_drafts(unit_id, deleted_at, submitted_date);
CREATE INDEX info_drafts_unit_status ON info_drafts(unit_id, status, step);
CREATE INDEX info_drafts_org ON info_drafts(org_id, submitted_date);
CREATE INDEX info_drafts_unit_approved ON info_drafts(unit_id, approved_date);
CREATE INDEX info_drafts_author ON info_drafts(author_id, updated_at);

-- Every submitted or reviewer-edited text, numbered per draft.
CREATE TABLE info_versions (
    id         INTEGER PRIMARY KEY,
    draft_id   INTEGER NOT NULL REFERENCES info_drafts(id),
    version    INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    body_text  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    by_name    TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT '',
    UNIQUE (draft_id, version)
);

-- Every decision: submit, approve, return, edit, proof (三校), override,
-- withdraw, publish, adopt; with the version it applied to.
CREATE TABLE info_decisions (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES info_drafts(id),
    cycle       INTEGER NOT NULL,
    step        INTEGER NOT NULL,
    step_name   TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    round       INTEGER NOT NULL DEFAULT 0,                 -- 三校 round number
    user_id     INTEGER REFERENCES users(id),
    user_name   TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT '',
    terms       TEXT    NOT NULL DEFAULT '',                -- override: the blocking terms let pass
    version     INTEGER NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX info_decisions_draft ON info_decisions(draft_id, id);

-- Publication (where the unit published it) and adoption (采用 by higher levels).
CREATE TABLE info_publications (
    id         INTEGER PRIMARY KEY,
    draft_id   INTEGER NOT NULL REFERENCES info_drafts(id),
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    kind       TEXT    NOT NULL CHECK (kind IN ('publish','adopt')),
    level      TEXT    NOT NULL,
    outlet     TEXT    NOT NULL DEFAULT '',
    url        TEXT    NOT NULL DEFAULT '',
    date       TEXT    NOT NULL,
    points     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    deleted_at INTEGER
);
CREATE INDEX info_pub_unit_date ON info_publications(unit_id, deleted_at, date);
CREATE INDEX info_pub_draft ON info_publications(draft_id);

-- Images of a draft, content-addressed like ledger attachments.
CREATE TABLE info_images (
    id         INTEGER PRIMARY KEY,
    draft_id   INTEGER NOT NULL REFERENCES info_drafts(id),
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    name       TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX info_images_draft ON info_images(draft_id);

-- A unit's own screening terms, added to the built-in lexicon.
CREATE TABLE info_terms (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    category    TEXT    NOT NULL,
    term        TEXT    NOT NULL,
    replacement TEXT    NOT NULL DEFAULT '',
    severity    INTEGER NOT NULL DEFAULT 1,                 -- 1 提示, 2 阻断
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (unit_id, term)
);

-- +goose Down
-- Down migrations would drop user data; zhendi never runs them.
SELECT 1;
