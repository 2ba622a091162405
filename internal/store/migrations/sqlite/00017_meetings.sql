-- +goose Up
-- Recording at the source (issue 22): meetings announced before they
-- happen, sign-in with a rotating code, photos stamped on arrival, minutes
-- confirmed by those present. Times are unix seconds.

CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES orgs(id),
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    type            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    place           TEXT    NOT NULL DEFAULT '',
    agenda          TEXT    NOT NULL DEFAULT '',
    required_topics TEXT    NOT NULL DEFAULT '',
    plan_item_id    INTEGER REFERENCES plan_items(id),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    notice_at       INTEGER NOT NULL,                  -- the ledger entry's recording time
    created_by      INTEGER REFERENCES users(id),
    activity_id     INTEGER REFERENCES activities(id), -- once recorded in the ledger
    minutes         TEXT    NOT NULL DEFAULT '',
    minutes_at      INTEGER,
    cancelled_at    INTEGER
);
CREATE INDEX meetings_unit_start ON meetings(unit_id, starts_at);
CREATE UNIQUE INDEX meetings_activity ON meetings(activity_id);

-- Everyone invited. signed_at is the server's time of the sign-in (or of
-- the organiser's marking when manual = 1, with its reason); nothing about
-- the device is kept here.
CREATE TABLE meeting_attendees (
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    signed_at    INTEGER,
    manual       INTEGER NOT NULL DEFAULT 0,
    reason       TEXT    NOT NULL DEFAULT '',
    marked_by    INTEGER REFERENCES users(id),
    confirmed_at INTEGER,
    comment      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_attendees_user ON meeting_attendees(user_id, meeting_id);

-- Photos, stamped with the time the server received them (EXIF is not
-- trusted); far = 1 when that time is far from the meeting's.
CREATE TABLE meeting_photos (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    name        TEXT    NOT NULL,
    mime        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    far         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meeting_photos_meeting ON meeting_photos(meeting_id);

-- Sign-on through 企业微信, 钉钉 or a province's OpenID Connect platform
-- (issue 22 part 7), installation-wide, set by the 安全保密管理员.
CREATE TABLE sso_providers (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    agent_id   TEXT    NOT NULL DEFAULT '',
    secret     TEXT    NOT NULL,
    auth_base  TEXT    NOT NULL DEFAULT '',
    api_base   TEXT    NOT NULL DEFAULT '',
    issuer     TEXT    NOT NULL DEFAULT '',
    enabled    INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
);

-- A platform account bound to a zhendi account by an administrator; only
-- a bound account signs on.
CREATE TABLE sso_bindings (
    provider_id INTEGER NOT NULL REFERENCES sso_providers(id),
    subject     TEXT    NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    bound_by    INTEGER REFERENCES users(id),
    bound_at    INTEGER NOT NULL,
    PRIMARY KEY (provider_id, subject)
);
CREATE UNIQUE INDEX sso_bindings_user ON sso_bindings(user_id, provider_id);

-- +goose Down
SELECT 1;
