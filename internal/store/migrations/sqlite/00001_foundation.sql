-- +goose Up
-- Timestamps are unix seconds (audit: microseconds) so both dialects store and
-- compare them the same way; calendar dates are 'YYYY-MM-DD' text, which sorts
-- correctly as text in both.

CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES orgs(id),
    unit_id    INTEGER REFERENCES orgs(id),      -- enclosing unit (self for a unit, NULL for a district)
    kind       TEXT    NOT NULL CHECK (kind IN ('district','unit','department','branch')),
    name       TEXT    NOT NULL,
    code       TEXT    UNIQUE,                    -- stable external key (demo loader, imports)
    sort       INTEGER NOT NULL DEFAULT 0,
    path       TEXT    NOT NULL DEFAULT '',       -- '/1/4/9/', ancestors included
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_unit ON orgs(unit_id);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES orgs(id),  -- home node (department or unit)
    unit_id             INTEGER REFERENCES orgs(id),
    username            TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    title               TEXT    NOT NULL DEFAULT '',           -- 职务
    party_member        INTEGER NOT NULL DEFAULT 1,
    password_hash       TEXT    NOT NULL,
    must_change_pw      INTEGER NOT NULL DEFAULT 0,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER NOT NULL DEFAULT 0,
    disabled            INTEGER NOT NULL DEFAULT 0,
    sort                INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_unit ON users(unit_id);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE user_roles (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    role    TEXT    NOT NULL,
    UNIQUE (user_id, org_id, role)
);
CREATE INDEX user_roles_org ON user_roles(org_id);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    ip         TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at_us       INTEGER NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT    NOT NULL DEFAULT '',
    org_id      INTEGER,
    action      TEXT    NOT NULL,
    object_type TEXT    NOT NULL DEFAULT '',
    object_id   INTEGER,
    before_json TEXT    NOT NULL DEFAULT '',
    after_json  TEXT    NOT NULL DEFAULT '',
    ip          TEXT    NOT NULL DEFAULT '',
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_org ON audit_log(org_id, id);
CREATE INDEX audit_object ON audit_log(object_type, object_id);
-- Append-only: the application never updates or deletes audit rows. These
-- triggers stop accidental edits; verify-audit catches deliberate ones.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

CREATE TABLE plan_items (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES orgs(id),
    year            INTEGER NOT NULL,
    month           INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    topic           TEXT    NOT NULL,
    required_topics TEXT    NOT NULL DEFAULT '',   -- ',code,code,'
    form            TEXT    NOT NULL DEFAULT '',   -- activity type code
    speaker_id      INTEGER REFERENCES users(id),
    speaker_name    TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    created_by      INTEGER,
    deleted_at      INTEGER
);
CREATE INDEX plan_items_unit_year ON plan_items(unit_id, year, month);

CREATE TABLE activities (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES orgs(id),
    org_id          INTEGER NOT NULL REFERENCES orgs(id),   -- organising node
    type            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    date            TEXT    NOT NULL,                       -- day it happened
    start_time      TEXT    NOT NULL DEFAULT '',
    duration_min    INTEGER NOT NULL DEFAULT 0,
    place           TEXT    NOT NULL DEFAULT '',
    lead_id         INTEGER REFERENCES users(id),           -- speaker / lecturer / author / host
    lead_name       TEXT    NOT NULL DEFAULT '',            -- outside speaker, or copy of the user's name
    host_id         INTEGER REFERENCES users(id),           -- 主持人
    audience_type   TEXT    NOT NULL DEFAULT '',
    audience_count  INTEGER NOT NULL DEFAULT 0,
    agenda          TEXT    NOT NULL DEFAULT '',
    content         TEXT    NOT NULL DEFAULT '',            -- minutes / summary / report text
    tags            TEXT    NOT NULL DEFAULT '',
    required_topics TEXT    NOT NULL DEFAULT '',            -- ',code,code,'
    plan_item_id    INTEGER REFERENCES plan_items(id),
    import_key      TEXT,
    search_text     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,                       -- when it was recorded
    created_by      INTEGER REFERENCES users(id),
    updated_at      INTEGER NOT NULL,
    updated_by      INTEGER REFERENCES users(id),
    deleted_at      INTEGER,
    deleted_by      INTEGER REFERENCES users(id)
);
CREATE INDEX activities_unit_date ON activities(unit_id, date);
CREATE INDEX activities_unit_type_date ON activities(unit_id, type, date);
CREATE INDEX activities_org_date ON activities(org_id, date);
CREATE INDEX activities_lead ON activities(lead_id, date);
CREATE INDEX activities_plan ON activities(plan_item_id);
CREATE UNIQUE INDEX activities_import_key ON activities(unit_id, import_key);

CREATE TABLE attendance (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    status      TEXT    NOT NULL CHECK (status IN ('present','absent')),
    reason      TEXT    NOT NULL DEFAULT '',
    speaker     INTEGER NOT NULL DEFAULT 0,                 -- 中心发言 / 交流发言
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX attendance_user ON attendance(user_id, activity_id);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    name        TEXT    NOT NULL,
    mime        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    kind        TEXT    NOT NULL DEFAULT '',                -- 'report' for 分析研判 documents
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    deleted_at  INTEGER
);
CREATE INDEX attachments_activity ON attachments(activity_id);

-- +goose Down
-- Down migrations would drop user data; zhendi never runs them.
SELECT 1;
