-- +goose Up
-- 阵地 (issue 18): the registry of a unit's channels — its site and columns,
-- platform accounts, groups and offline boards — with their 报备 history,
-- update-rule versions, availability probes, findings, publication days
-- seen by the checks, and the 网络安全排查/阵地检查 inspections.
-- (Reminder delivery settings, 提醒渠道, are notify_settings, not these.)

CREATE TABLE channels (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL REFERENCES orgs(id),
    org_id            INTEGER REFERENCES orgs(id),
    parent_id         INTEGER REFERENCES channels(id),
    kind              TEXT    NOT NULL,
    class             TEXT    NOT NULL DEFAULT '',
    name              TEXT    NOT NULL,
    url               TEXT    NOT NULL DEFAULT '',
    account           TEXT    NOT NULL DEFAULT '',
    location          TEXT    NOT NULL DEFAULT '',
    responsible_id    INTEGER NOT NULL REFERENCES users(id),
    reviewer_id       INTEGER REFERENCES users(id),
    purpose           TEXT    NOT NULL DEFAULT '',
    filing_date       TEXT    NOT NULL DEFAULT '',
    filing_no         TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL,
    method            TEXT    NOT NULL,
    feed_url          TEXT    NOT NULL DEFAULT '',
    date_rule         TEXT    NOT NULL DEFAULT '',
    last_update       TEXT    NOT NULL DEFAULT '',
    items             INTEGER NOT NULL DEFAULT 0,
    last_check_at     INTEGER NOT NULL DEFAULT 0,
    last_check_ok     INTEGER NOT NULL DEFAULT 0,
    checked_by        TEXT    NOT NULL DEFAULT '',
    unanswered_since  TEXT    NOT NULL DEFAULT '',
    next_check_at     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    created_by        INTEGER REFERENCES users(id),
    updated_at        INTEGER NOT NULL
);
CREATE INDEX channels_unit ON channels(unit_id, kind, id);
CREATE INDEX channels_due ON channels(next_check_at);

CREATE TABLE channel_events (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    from_name   TEXT    NOT NULL DEFAULT '',
    to_name     TEXT    NOT NULL DEFAULT '',
    from_status TEXT    NOT NULL DEFAULT '',
    to_status   TEXT    NOT NULL DEFAULT '',
    filing_no   TEXT    NOT NULL DEFAULT '',
    filing_date TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE INDEX channel_events_channel ON channel_events(channel_id, day, id);
CREATE INDEX channel_events_unit ON channel_events(unit_id, id);

-- Update-rule versions of a unit; the default applies where none is in force.
CREATE TABLE channel_rules (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT    NOT NULL,
    class       TEXT    NOT NULL DEFAULT '',
    days        INTEGER NOT NULL DEFAULT 0,
    months      INTEGER NOT NULL DEFAULT 0,
    valid_from  TEXT    NOT NULL,
    valid_to    TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE INDEX channel_rules_unit ON channel_rules(unit_id, kind, class, valid_from);

-- One row per availability probe of a web channel.
CREATE TABLE channel_probes (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    at          INTEGER NOT NULL,
    ok          INTEGER NOT NULL,
    millis      INTEGER NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX channel_probes_unit ON channel_probes(unit_id, at);
CREATE INDEX channel_probes_channel ON channel_probes(channel_id, at);

-- Publication days a check saw, with how many items that day: the update
-- frequency chart.
CREATE TABLE channel_pub_days (
    channel_id  INTEGER NOT NULL REFERENCES channels(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    day         TEXT    NOT NULL,
    items       INTEGER NOT NULL,
    PRIMARY KEY (channel_id, day)
);
CREATE INDEX channel_pub_days_unit ON channel_pub_days(unit_id, day);

CREATE TABLE channel_findings (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT    NOT NULL,
    fkey        TEXT    NOT NULL,
    page_url    TEXT    NOT NULL DEFAULT '',
    sentence    TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '',
    serious     INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL,
    rect_id     INTEGER REFERENCES rectifications(id),
    found_at    INTEGER NOT NULL,
    closed_at   INTEGER NOT NULL DEFAULT 0,
    recheck     TEXT    NOT NULL DEFAULT '',
    recheck_at  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX channel_findings_open ON channel_findings(channel_id, fkey) WHERE status = 'open';
CREATE INDEX channel_findings_unit ON channel_findings(unit_id, status);
CREATE INDEX channel_findings_rect ON channel_findings(rect_id);

-- Checklist templates (editable per unit), inspections and their results.
CREATE TABLE channel_checklist (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    auto        TEXT    NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL DEFAULT 0,
    retired     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX channel_checklist_unit ON channel_checklist(unit_id, kind, sort);

CREATE TABLE channel_inspections (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES orgs(id),
    kind            TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    due             TEXT    NOT NULL,
    inspector_id    INTEGER REFERENCES users(id),
    inspector_at    INTEGER NOT NULL DEFAULT 0,
    resp_id         INTEGER REFERENCES users(id),
    resp_at         INTEGER NOT NULL DEFAULT 0,
    note            TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    created_by      INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX channel_inspections_period ON channel_inspections(unit_id, kind, period);

CREATE TABLE channel_inspection_items (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES channel_inspections(id),
    unit_id       INTEGER NOT NULL REFERENCES orgs(id),
    channel_id    INTEGER REFERENCES channels(id),
    text          TEXT    NOT NULL,
    auto          TEXT    NOT NULL DEFAULT '',
    sort          INTEGER NOT NULL DEFAULT 0,
    result        TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    rect_id       INTEGER REFERENCES rectifications(id),
    recheck       TEXT    NOT NULL DEFAULT '',
    recheck_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX channel_inspection_items_insp ON channel_inspection_items(inspection_id, sort, id);

CREATE TABLE channel_inspection_files (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES channel_inspections(id),
    item_id       INTEGER REFERENCES channel_inspection_items(id),
    name          TEXT    NOT NULL,
    mime          TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    created_by    INTEGER REFERENCES users(id)
);
CREATE INDEX channel_inspection_files_insp ON channel_inspection_files(inspection_id, id);

-- +goose Down
-- Nothing: a migration never drops user data.
SELECT 1;
