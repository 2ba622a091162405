-- +goose Up
-- Module 8 考核问责 (issue 19): 分管, the responsibility list, 五个纳入,
-- indicator trees and assessments, 述职 and 民主测评, accountability cases.

-- 分管: which departments (科室 or 支部) a leader is in charge of.
CREATE TABLE org_fenguan (
    user_id INTEGER NOT NULL REFERENCES users(id),
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    unit_id INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX org_fenguan_unit ON org_fenguan(unit_id);

-- 责任清单: one row per item; gen_key is set on generated items so that
-- generating again adds only what is new.
CREATE TABLE assess_duties (
    id       INTEGER PRIMARY KEY,
    unit_id  INTEGER NOT NULL REFERENCES orgs(id),
    user_id  INTEGER REFERENCES users(id),
    role     TEXT    NOT NULL,
    org_id   INTEGER REFERENCES orgs(id),
    gen_key  TEXT    NOT NULL DEFAULT '',
    what     TEXT    NOT NULL,
    freq     TEXT    NOT NULL,
    due      TEXT    NOT NULL DEFAULT '',
    evidence TEXT    NOT NULL DEFAULT '',
    source   TEXT    NOT NULL DEFAULT '',
    sort     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX assess_duties_unit ON assess_duties(unit_id, sort);

-- 五个纳入 per unit and year.
CREATE TABLE assess_inclusions (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    item         TEXT    NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    evidence     TEXT    NOT NULL DEFAULT '',
    activity_id  INTEGER REFERENCES activities(id),
    confirmed_by INTEGER REFERENCES users(id),
    confirmed_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_id, year, item)
);

-- 考核细则: a district's tree for a year, and its indicators.
CREATE TABLE assess_trees (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('draft','published')),
    weight       REAL    NOT NULL DEFAULT 10,
    bonus_cap    REAL    NOT NULL DEFAULT 5,
    published_at INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (org_id, year)
);

CREATE TABLE assess_indicators (
    id       INTEGER PRIMARY KEY,
    tree_id  INTEGER NOT NULL REFERENCES assess_trees(id),
    sort     INTEGER NOT NULL DEFAULT 0,
    category TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    points   REAL    NOT NULL,
    method   TEXT    NOT NULL,
    scorer   TEXT    NOT NULL DEFAULT '',
    param    TEXT    NOT NULL DEFAULT '',
    rule     TEXT    NOT NULL,
    required INTEGER NOT NULL DEFAULT 0,
    per      REAL    NOT NULL DEFAULT 0,
    cap      REAL    NOT NULL DEFAULT 0,
    veto     INTEGER NOT NULL DEFAULT 0,
    bonus    INTEGER NOT NULL DEFAULT 0,
    evidence TEXT    NOT NULL DEFAULT '',
    source   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX assess_indicators_tree ON assess_indicators(tree_id, sort);

-- One unit's assessment against a tree. frozen_json keeps the scored lines
-- as they were when frozen; the numbers no longer follow the records.
CREATE TABLE assessments (
    id           INTEGER PRIMARY KEY,
    tree_id      INTEGER NOT NULL REFERENCES assess_trees(id),
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('self','submitted','reviewed','published','frozen')),
    submitted_at INTEGER NOT NULL DEFAULT 0,
    submitted_by INTEGER REFERENCES users(id),
    reviewed_by  INTEGER REFERENCES users(id),
    return_note  TEXT    NOT NULL DEFAULT '',
    frozen_at    INTEGER NOT NULL DEFAULT 0,
    frozen_total REAL    NOT NULL DEFAULT 0,
    frozen_json  TEXT    NOT NULL DEFAULT '',
    UNIQUE (tree_id, unit_id)
);
CREATE INDEX assessments_unit ON assessments(unit_id, year);

-- An item's self-assessment and review. self_score / review_score NULL:
-- not given.
CREATE TABLE assess_items (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    indicator_id  INTEGER NOT NULL REFERENCES assess_indicators(id),
    self_score    REAL,
    self_veto     INTEGER NOT NULL DEFAULT 0,
    self_note     TEXT    NOT NULL DEFAULT '',
    evidence      TEXT    NOT NULL DEFAULT '',
    review_score  REAL,
    review_veto   INTEGER,
    reason        TEXT    NOT NULL DEFAULT '',
    reviewed_by   INTEGER REFERENCES users(id),
    PRIMARY KEY (assessment_id, indicator_id)
);

-- 述职 and 民主测评.
CREATE TABLE assess_debriefs (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    year       INTEGER NOT NULL,
    held_on    TEXT    NOT NULL,
    meeting    TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    good       INTEGER NOT NULL DEFAULT 0,
    fair       INTEGER NOT NULL DEFAULT 0,
    average    INTEGER NOT NULL DEFAULT 0,
    poor       INTEGER NOT NULL DEFAULT 0,
    follow_ups TEXT    NOT NULL DEFAULT '',
    UNIQUE (user_id, year)
);
CREATE INDEX assess_debriefs_unit ON assess_debriefs(unit_id, year);

-- 问责 cases, the persons held responsible, the procedure dates.
CREATE TABLE assess_cases (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES orgs(id),
    year          INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    situation     TEXT    NOT NULL,
    facts         TEXT    NOT NULL,
    evidence      TEXT    NOT NULL DEFAULT '',
    investigated  TEXT    NOT NULL DEFAULT '',
    determined    TEXT    NOT NULL DEFAULT '',
    notified      TEXT    NOT NULL DEFAULT '',
    defended      TEXT    NOT NULL DEFAULT '',
    decided       TEXT    NOT NULL DEFAULT '',
    method        TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL DEFAULT '',
    result_use    TEXT    NOT NULL DEFAULT '',
    in_assessment INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER NOT NULL
);
CREATE INDEX assess_cases_unit ON assess_cases(unit_id, year);

CREATE TABLE assess_case_persons (
    case_id INTEGER NOT NULL REFERENCES assess_cases(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    resp    TEXT    NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

-- +goose Down
SELECT 1;
