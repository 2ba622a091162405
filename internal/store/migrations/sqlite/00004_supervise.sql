-- +goose Up
-- Supervision (督导): obligation rules with their history, the reminder
-- delivery log, in-app notifications, per-unit channel settings and the
-- rectification list (问题清单/整改台账) with evidence files.

-- One row per rule version; versions of a rule share rule_key and have
-- non-overlapping validity [valid_from, valid_to] ('' = still in force).
CREATE TABLE supervise_rules (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    rule_key     TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    topic        TEXT    NOT NULL DEFAULT '',
    count        INTEGER NOT NULL,
    period       TEXT    NOT NULL,
    per_plan     INTEGER NOT NULL DEFAULT 0,
    due_month    INTEGER NOT NULL DEFAULT 0,
    grace_days   INTEGER NOT NULL DEFAULT 0,
    remind_days  INTEGER NOT NULL DEFAULT 0,
    resp_user_id INTEGER REFERENCES users(id),
    valid_from   TEXT    NOT NULL,
    valid_to     TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id)
);
CREATE INDEX supervise_rules_unit ON supervise_rules(unit_id, rule_key, valid_from);

-- Channels of a unit. Secrets are kept here because the server must use them.
CREATE TABLE notify_settings (
    unit_id         INTEGER PRIMARY KEY REFERENCES orgs(id),
    inapp           INTEGER NOT NULL DEFAULT 1,
    email           INTEGER NOT NULL DEFAULT 0,
    smtp_host       TEXT    NOT NULL DEFAULT '',
    smtp_port       INTEGER NOT NULL DEFAULT 25,
    smtp_user       TEXT    NOT NULL DEFAULT '',
    smtp_pass       TEXT    NOT NULL DEFAULT '',
    smtp_from       TEXT    NOT NULL DEFAULT '',
    wecom_url       TEXT    NOT NULL DEFAULT '',
    dingtalk_url    TEXT    NOT NULL DEFAULT '',
    dingtalk_secret TEXT    NOT NULL DEFAULT '',
    updated_at      INTEGER NOT NULL
);

-- E-mail addresses for reminders (not part of the user record: minimal personal data).
CREATE TABLE notify_contacts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    email   TEXT    NOT NULL
);

-- Every reminder delivery, claimed before sending: the unique key makes a
-- reminder go out once per channel, also across restarts and instances.
CREATE TABLE reminder_log (
    id         INTEGER PRIMARY KEY,
    idem_key   TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    link       TEXT    NOT NULL DEFAULT '',
    recipients TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL CHECK (status IN ('pending','sent','failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    last_error TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at    INTEGER,
    UNIQUE (idem_key, channel)
);
CREATE INDEX reminder_log_unit ON reminder_log(unit_id, id);
CREATE INDEX reminder_log_retry ON reminder_log(status, next_at);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    link       TEXT    NOT NULL DEFAULT '',
    idem_key   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    UNIQUE (user_id, idem_key)
);
CREATE INDEX notifications_user ON notifications(user_id, id);

CREATE TABLE rectifications (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    org_id       INTEGER REFERENCES orgs(id),           -- responsible department
    title        TEXT    NOT NULL,                      -- the problem
    source       TEXT    NOT NULL,                      -- compliance / inspection / supervision / other
    source_ref   TEXT,                                  -- automatic items: the compliance result key
    owner_id     INTEGER NOT NULL REFERENCES users(id), -- 责任人
    measures     TEXT    NOT NULL DEFAULT '',
    deadline     TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('open','doing','review','closed')),
    progress     TEXT    NOT NULL DEFAULT '',
    verified_by  INTEGER REFERENCES users(id),
    verified_at  INTEGER,
    verify_note  TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    updated_at   INTEGER NOT NULL
);
CREATE INDEX rectifications_unit ON rectifications(unit_id, status, deadline);
CREATE UNIQUE INDEX rectifications_source ON rectifications(unit_id, source_ref);

CREATE TABLE rectification_files (
    id         INTEGER PRIMARY KEY,
    rect_id    INTEGER NOT NULL REFERENCES rectifications(id),
    name       TEXT    NOT NULL,
    mime       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX rectification_files_rect ON rectification_files(rect_id);

-- +goose Down
SELECT 1;
