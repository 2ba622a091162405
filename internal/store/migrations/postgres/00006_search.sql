-- +goose Up
-- SQLite gets a bigram full-text index in this version; PostgreSQL searches
-- activities.search_text directly, which is fast enough at the sizes it is
-- measured at (see README).
SELECT 1;

-- +goose Down
SELECT 1;
