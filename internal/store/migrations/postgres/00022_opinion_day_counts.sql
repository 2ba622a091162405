-- +goose Up
-- 舆情 dashboard counts kept in the intake transaction (issue 17): the
-- day counts of 00018 were rebuilt from a watermark at the first look,
-- and the scheme hits were counted from opinion_hits at every look (a
-- year at a million items took 200–300 ms). Now intake adds to both
-- tables and the retention purge subtracts, in the same transaction as
-- the items, so the dashboard reads at most a row per day and source and
-- a row per day and scheme. Both are recounted here from the items
-- (derived figures only; opinion_day_state is no longer read).

CREATE TABLE opinion_scheme_days (
    unit_id   BIGINT NOT NULL REFERENCES orgs(id),
    scheme_id BIGINT NOT NULL,
    day       BIGINT NOT NULL,             -- days since 1970-01-01 in China time
    n         BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, day)
);
CREATE INDEX opinion_scheme_days_unit ON opinion_scheme_days (unit_id, day);

DELETE FROM opinion_day_counts;
INSERT INTO opinion_day_counts (unit_id, day, source_id, n, negative, positive, copies)
    SELECT unit_id, (published_at + 28800) / 86400, source_id, COUNT(*), SUM(CASE WHEN negativity > 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN negativity < 0 THEN 1 ELSE 0 END), SUM(copies)
    FROM opinion_items GROUP BY unit_id, (published_at + 28800) / 86400, source_id;
INSERT INTO opinion_scheme_days (unit_id, scheme_id, day, n)
    SELECT MIN(unit_id), scheme_id, (at + 28800) / 86400, COUNT(*)
    FROM opinion_hits GROUP BY scheme_id, (at + 28800) / 86400;

-- An opinion file imported on the web page is previewed, then confirmed,
-- as a ledger import is: its batch is a row of import_batches of kind
-- 'opinion' (the ledger's rows are 'ledger').
ALTER TABLE import_batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'ledger';

-- A unit's own negativity lexicon (opinion.ParseLexicon's file, with its
-- 许可 line), joined to the seed lexicon when its items are scored.
CREATE TABLE opinion_lexicons (
    unit_id    BIGINT PRIMARY KEY REFERENCES orgs(id),
    name       TEXT    NOT NULL,
    licence    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    terms      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);

-- +goose Down
SELECT 1;
