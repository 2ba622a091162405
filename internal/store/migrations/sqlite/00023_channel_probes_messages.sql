-- +goose Up
-- 阵地 (issue 18), the indicator's own measures:
-- * availability visits spread over the day (站点无法访问: 每天间隔性访问20次以上,
--   监测1周): each site's next visit, and one row per site and day holding the
--   day's visits packed 6 bytes each (base64, channel.EncodeSample) with the
--   day's counts beside them, kept channel.ProbeRetentionDays;
-- * the rule that reads an interaction column's messages and replies
--   (互动回应差), edited per column like the date rule.

ALTER TABLE channels ADD COLUMN next_probe_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN message_rule TEXT NOT NULL DEFAULT '';
CREATE INDEX channels_probe_due ON channels(next_probe_at);

CREATE TABLE channel_probe_days (
    channel_id  INTEGER NOT NULL REFERENCES channels(id),
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    day         TEXT    NOT NULL,
    total       INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    samples     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (channel_id, day)
);
CREATE INDEX channel_probe_days_unit ON channel_probe_days(unit_id, day);
CREATE INDEX channel_probe_days_day ON channel_probe_days(day);

-- +goose Down
-- Nothing: a migration never drops user data.
SELECT 1;
