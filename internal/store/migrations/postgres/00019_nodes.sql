-- +goose Up
-- Several nodes on one database (issue 20 part 5).
--
-- job_leases: a background job runs on one node at a time. A node runs a
-- round only while it holds the job's lease (holder, until expires_at, in
-- the database's clock, milliseconds); it renews the lease while the round
-- runs, and a node that dies stops renewing, so another takes over once
-- the lease has expired. started_at is when the holder's round started;
-- done_at is when the last round that finished (on any node) started, so
-- the interval holds across nodes instead of each node running the job at
-- its own rhythm, and a round cut off by a dying node is run again at once.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL DEFAULT 0,
    done_at    BIGINT NOT NULL DEFAULT 0
);

-- login_ip_hits: refused logins per client address and minute, counted
-- in the database so that every node sees the attempts made on the others.
-- The address is kept only as a hash (ip_key).
CREATE TABLE login_ip_hits (
    ip_key TEXT    NOT NULL,
    minute BIGINT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (ip_key, minute)
);
CREATE INDEX login_ip_hits_minute ON login_ip_hits (minute);

-- +goose Down
-- zhendi never runs down migrations (they would drop data).
SELECT 1;
