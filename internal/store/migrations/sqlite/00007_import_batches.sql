-- +goose Up
-- Provenance of imported ledger entries (issue 13 A1, A7). An import is
-- previewed first: the uploaded file is stored (content-addressed, files/)
-- and a batch row with status 'preview' names it; confirming imports the
-- same file under that batch and marks it 'done'. Each imported entry keeps
-- its batch, its row in the file and the recording date the old sheet
-- claimed (原登记日期, shown, never used as the recording time). history = 1
-- marks an imported entry dated before the unit started recording in the
-- system: it is imported history, not a late record (补记).
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id     INTEGER NOT NULL REFERENCES orgs(id),
    file_name   TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('preview','done')),
    rows        INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    history     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    done_at     INTEGER
);
CREATE INDEX import_batches_unit ON import_batches(unit_id, created_at);

ALTER TABLE activities ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id);
ALTER TABLE activities ADD COLUMN import_row INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN claimed_recorded TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN history INTEGER NOT NULL DEFAULT 0;

-- +goose Down
SELECT 1;
