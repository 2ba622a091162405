-- +goose Up
-- 考核问责 (issue 19), continued: evidence files on accountability cases,
-- each unit's 问责情形 within the district's list, and 干部考察 records — what the year's assessment, 述职/民主测评 and
-- 问责 gave for each leader, kept for 干部评价使用和奖罚.

CREATE TABLE assess_case_files (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES assess_cases(id),
    name       TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX assess_case_files_case ON assess_case_files(case_id, id);

CREATE TABLE assess_cadre_records (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    year         INTEGER NOT NULL,
    unit_total   REAL,
    unit_rank    INTEGER NOT NULL DEFAULT 0,
    frozen       INTEGER NOT NULL DEFAULT 0,
    debrief_id   INTEGER REFERENCES assess_debriefs(id),
    good         INTEGER NOT NULL DEFAULT 0,
    fair         INTEGER NOT NULL DEFAULT 0,
    average      INTEGER NOT NULL DEFAULT 0,
    poor         INTEGER NOT NULL DEFAULT 0,
    cases        TEXT    NOT NULL DEFAULT '',
    use_note     TEXT    NOT NULL DEFAULT '',
    recorded_at  INTEGER NOT NULL,
    recorded_by  INTEGER REFERENCES users(id),
    UNIQUE (user_id, year)
);
CREATE INDEX assess_cadre_records_unit ON assess_cadre_records(unit_id, year);

-- A unit's 问责情形 within the district's list (assess.Situations): which
-- of them the unit adopts and how it spells them out for itself. A unit
-- without rows adopts the whole list as written.
CREATE TABLE assess_unit_situations (
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    code       TEXT    NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1,
    detail     TEXT    NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    PRIMARY KEY (unit_id, code)
);

-- +goose Down
SELECT 1;
