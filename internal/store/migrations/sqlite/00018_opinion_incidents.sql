-- +goose Up
-- 舆情处置 (issue 17 part 8): incidents, their five steps and evidence; and
-- the alert rules and sent alerts of the opinion module (part 7).
-- event_id names an opinion event (oppipe's table) without a foreign key,
-- so an incident started by hand, or one whose event was merged away,
-- stands on its own.

CREATE TABLE opinion_incidents (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    event_id     INTEGER,
    title        TEXT    NOT NULL,
    level        TEXT    NOT NULL CHECK (level IN ('especially','major','general')),
    found_at     INTEGER NOT NULL,             -- when the opinion was found; the time limits run from it
    summary      TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN ('open','closed')),
    authority_at INTEGER NOT NULL DEFAULT 0,   -- 权威信息发布 (major)
    presser_at   INTEGER NOT NULL DEFAULT 0,   -- 新闻发布会 (major)
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    closed_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX opinion_incidents_unit ON opinion_incidents(unit_id, status, found_at);
CREATE INDEX opinion_incidents_event ON opinion_incidents(event_id);

CREATE TABLE opinion_incident_steps (
    incident_id INTEGER NOT NULL REFERENCES opinion_incidents(id),
    step        TEXT    NOT NULL CHECK (step IN ('collect','consult','judge','respond','assess')),
    owner_id    INTEGER REFERENCES users(id),
    note        TEXT    NOT NULL DEFAULT '',
    text        TEXT    NOT NULL DEFAULT '',  -- 回应口径 (respond)
    done_at     INTEGER NOT NULL DEFAULT 0,
    done_by     INTEGER REFERENCES users(id),
    PRIMARY KEY (incident_id, step)
);
CREATE INDEX opinion_incident_steps_owner ON opinion_incident_steps(owner_id);

CREATE TABLE opinion_incident_files (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES opinion_incidents(id),
    step        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    mime        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE INDEX opinion_incident_files_incident ON opinion_incident_files(incident_id);

-- Alert rules per scheme (issue 17 part 7): kind is opinion.AlertKind
-- (1 新事件, 2 热度超过, 3 负面超过, 4 快速增长); quiet hours in minutes
-- after midnight, China time (from = to: none).
CREATE TABLE opinion_alert_rules (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES orgs(id),
    scheme_id  INTEGER NOT NULL REFERENCES opinion_schemes(id),
    kind       INTEGER NOT NULL,
    threshold  REAL NOT NULL,
    quiet_from INTEGER NOT NULL DEFAULT 0,
    quiet_to   INTEGER NOT NULL DEFAULT 0,
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX opinion_alert_rules_unit ON opinion_alert_rules(unit_id);

-- One alert per event and rule: alert_key (opinion.AlertKey) is claimed
-- before anything is sent, so a restart or a second node never repeats
-- it. send_at is when it goes out (after the quiet hours); delivered_at
-- is set once it was handed to the channels (the reminder log then
-- tracks each channel).
CREATE TABLE opinion_alerts (
    alert_key    TEXT PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES orgs(id),
    rule_id      INTEGER NOT NULL,
    event_id     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    fired_at     INTEGER NOT NULL,
    send_at      INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX opinion_alerts_due ON opinion_alerts(delivered_at, send_at);
CREATE INDEX opinion_alerts_unit ON opinion_alerts(unit_id, fired_at);

-- The dashboard's and the reports' counts of a unit's items over a period
-- (per day, per source, by negativity) read this index only, not the items.
CREATE INDEX opinion_items_overview ON opinion_items (unit_id, published_at, source_id, negativity, copies);

-- Items per China-time day and source, counted from opinion_items so the
-- dashboard need not scan a million items: built_to is the fetched_at
-- watermark up to which a unit's items are counted; a refresh recounts
-- only the days of items fetched since (store/opinion_overview.go).
CREATE TABLE opinion_day_counts (
    unit_id   INTEGER NOT NULL REFERENCES orgs(id),
    day       INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    negative  INTEGER NOT NULL,
    positive  INTEGER NOT NULL,
    copies    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day, source_id)
);
CREATE TABLE opinion_day_state (
    unit_id  INTEGER PRIMARY KEY REFERENCES orgs(id),
    built_to INTEGER NOT NULL
);

-- +goose Down
SELECT 1;
