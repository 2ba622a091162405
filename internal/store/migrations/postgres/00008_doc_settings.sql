-- +goose Up
-- How a unit's official documents are finished (GB/T 9704-2012, issues 14
-- and 23): the issuing body of the 落款, the 主送机关 of 通报, 月通报 and
-- 研判报告, and the 版记's 抄送 and 印发机关. Empty means the default
-- (org.DocSettings says which).
CREATE TABLE doc_settings (
    unit_id    BIGINT  PRIMARY KEY REFERENCES orgs(id),
    issuer     TEXT    NOT NULL DEFAULT '',
    recipient  TEXT    NOT NULL DEFAULT '',
    cc         TEXT    NOT NULL DEFAULT '',
    printer    TEXT    NOT NULL DEFAULT '',
    updated_at BIGINT  NOT NULL
);

-- +goose Down
-- Down migrations would drop user data; zhendi never runs them.
SELECT 1;
