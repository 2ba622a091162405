-- +goose Up
-- Recording at the source, continued (issue 22 parts 1, 2, 5 and 7).

-- Part 7: a person's mobile number, for binding a platform account whose
-- verified mobile matches exactly one active user of the platform's unit.
ALTER TABLE users ADD COLUMN mobile TEXT NOT NULL DEFAULT '';

-- The unit whose people a platform binds by mobile number on first
-- sign-on (NULL: only an administrator binds); the address of DingTalk's
-- server API (oapi) for work notices and the unionId → userid look-up.
ALTER TABLE sso_providers ADD COLUMN bind_unit_id BIGINT REFERENCES orgs(id);
ALTER TABLE sso_providers ADD COLUMN msg_base TEXT NOT NULL DEFAULT '';

-- The platform's userid that personal messages are addressed to: the
-- WeCom userid, or the DingTalk userid looked up from the unionId at
-- sign-on ('' until the person has signed on once).
ALTER TABLE sso_bindings ADD COLUMN userid TEXT NOT NULL DEFAULT '';

-- Part 1: personal messages through the platforms' application message
-- APIs, as reminder channels a unit turns on.
ALTER TABLE notify_settings ADD COLUMN wecom_app BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notify_settings ADD COLUMN dingtalk_app BIGINT NOT NULL DEFAULT 0;

-- Part 2: a unit's sign-in window, in minutes before the start and after
-- the end (no row: 30 and 30).
CREATE TABLE meeting_settings (
    unit_id      BIGINT PRIMARY KEY REFERENCES orgs(id),
    before_min   BIGINT NOT NULL,
    after_min    BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- Part 5: why an entry is recorded past the 补记 window.
ALTER TABLE activities ADD COLUMN late_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
