-- +goose Up
-- Full-text index of the ledger for SQLite: character bigrams of every run of
-- letters and digits in an entry's search text, kept by the Go code in the
-- same transaction as the entry (store/search.go). Contentless: the text
-- itself stays in activities.search_text. Filled for existing entries at the
-- first start after this migration.
CREATE VIRTUAL TABLE activity_search USING fts5(bi, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

-- +goose Down
SELECT 1;
