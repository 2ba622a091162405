-- +goose Up
-- Reports (报告): a draft per unit, kind, period and subject (the leader of
-- a 述职 section; 0 otherwise), its saved versions (text with figure
-- placeholders and the figure values and record ids at saving), the
-- leader's approval of one version, and a unit's own wording of template
-- paragraphs.
CREATE TABLE report_drafts (
    id               INTEGER PRIMARY KEY,
    unit_id          INTEGER NOT NULL REFERENCES orgs(id),
    kind             TEXT    NOT NULL,
    period           TEXT    NOT NULL,
    subject_id       INTEGER NOT NULL DEFAULT 0,
    title            TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    created_by       INTEGER REFERENCES users(id),
    updated_at       INTEGER NOT NULL,
    approved_version INTEGER NOT NULL DEFAULT 0,
    approved_by      INTEGER REFERENCES users(id),
    approved_at      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_id, kind, period, subject_id)
);

CREATE TABLE report_versions (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES report_drafts(id),
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    UNIQUE (draft_id, version)
);

CREATE TABLE report_wording (
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT    NOT NULL,
    para_key    TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id),
    PRIMARY KEY (unit_id, kind, para_key)
);

-- +goose Down
DROP TABLE report_wording;
DROP TABLE report_versions;
DROP TABLE report_drafts;
