-- +goose Up
-- 考核问责 (issue 19), continued: evidence files on accountability cases,
-- and 干部考察 records — what the year's assessment, 述职/民主测评 and
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

-- +goose Down
SELECT 1;
