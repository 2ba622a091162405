-- +goose Up
-- Opinion monitoring (舆情, issue 17): sources, items, dedup groups, schemes,
-- scheme hits and events. Aggregates only: no column holds an author's
-- handle or profile (PRODUCT.md, lines we do not cross). Times are Unix
-- seconds.

-- Where items come from: an RSS/Atom feed polled every interval_sec, a
-- partner system pushing through the API with its own token (only the
-- token's SHA-256 is kept), or file imports. The fetch_* columns are the
-- conditional-GET state and the claim that stops two nodes polling the same
-- feed at once; the last_* columns are the source's health.
CREATE TABLE opinion_sources (
    id              BIGSERIAL PRIMARY KEY,
    unit_id         BIGINT NOT NULL REFERENCES orgs(id),
    kind            TEXT NOT NULL,             -- feed | push | import
    name            TEXT NOT NULL,
    url             TEXT NOT NULL DEFAULT '',
    interval_sec    BIGINT NOT NULL DEFAULT 900,
    weight          DOUBLE PRECISION NOT NULL DEFAULT 1,   -- source weight in an event's heat
    token_hash      TEXT NOT NULL DEFAULT '',
    enabled         BIGINT NOT NULL DEFAULT 1,
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    next_fetch_at   BIGINT NOT NULL DEFAULT 0,
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    last_success_at BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    last_error_at   BIGINT NOT NULL DEFAULT 0,
    items_total     BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    deleted_at      BIGINT
);
CREATE INDEX opinion_sources_unit ON opinion_sources (unit_id, kind);
CREATE INDEX opinion_sources_due ON opinion_sources (next_fetch_at) WHERE kind = 'feed' AND enabled = 1 AND deleted_at IS NULL;
CREATE UNIQUE INDEX opinion_sources_token ON opinion_sources (token_hash) WHERE token_hash <> '';

-- Near-duplicate groups: the first item is the representative; copies
-- counts every item folded in (exact copies that were not stored, and
-- near-duplicates that were), so "转载 N 次" is copies.
CREATE TABLE opinion_groups (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES orgs(id),
    rep_item_id BIGINT NOT NULL DEFAULT 0,
    size        BIGINT NOT NULL DEFAULT 1,   -- stored items in the group
    copies      BIGINT NOT NULL DEFAULT 0,   -- items folded into it (exact and near)
    first_at    BIGINT NOT NULL,
    last_at     BIGINT NOT NULL
);
CREATE INDEX opinion_groups_unit ON opinion_groups (unit_id, last_at);

-- Stored items. url_key and text_key are the exact-duplicate keys (hashes
-- of the normalised URL and text); simhash is the 64-bit fingerprint, stored
-- as a signed integer, and b0..b3 its four 16-bit bands: two fingerprints
-- within Hamming distance 3 agree on at least one band, so a near-duplicate
-- lookup reads four index ranges instead of every item.
CREATE TABLE opinion_items (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES orgs(id),
    source_id    BIGINT NOT NULL REFERENCES opinion_sources(id),
    group_id     BIGINT NOT NULL DEFAULT 0,
    title        TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    norm         TEXT NOT NULL DEFAULT '',     -- normalised title and text, for matching and search
    published_at BIGINT NOT NULL,
    fetched_at   BIGINT NOT NULL,
    url_key      TEXT NOT NULL DEFAULT '',
    text_key     TEXT NOT NULL DEFAULT '',
    simhash      BIGINT NOT NULL DEFAULT 0,
    b0           BIGINT NOT NULL DEFAULT 0,
    b1           BIGINT NOT NULL DEFAULT 0,
    b2           BIGINT NOT NULL DEFAULT 0,
    b3           BIGINT NOT NULL DEFAULT 0,
    negativity   DOUBLE PRECISION NOT NULL DEFAULT 0,      -- -1 (positive) .. 1 (negative)
    copies       BIGINT NOT NULL DEFAULT 0    -- exact copies folded into this item
);
CREATE INDEX opinion_items_unit_time ON opinion_items (unit_id, published_at);
CREATE INDEX opinion_items_source ON opinion_items (source_id, fetched_at);
CREATE INDEX opinion_items_group ON opinion_items (group_id);
CREATE INDEX opinion_items_url ON opinion_items (unit_id, url_key) WHERE url_key <> '';
CREATE INDEX opinion_items_text ON opinion_items (unit_id, text_key);
CREATE INDEX opinion_items_b0 ON opinion_items (unit_id, b0);
CREATE INDEX opinion_items_b1 ON opinion_items (unit_id, b1);
CREATE INDEX opinion_items_b2 ON opinion_items (unit_id, b2);
CREATE INDEX opinion_items_b3 ON opinion_items (unit_id, b3);

-- Every item a source delivered, by the source's own id for it (a feed's
-- guid or link, a push's id, an import row's id or content hash): the
-- idempotency key. A redelivered item finds its key and is not stored or
-- counted again. item_id is the stored item it became or was folded into.
CREATE TABLE opinion_seen (
    source_id BIGINT NOT NULL REFERENCES opinion_sources(id),
    ext_key   TEXT NOT NULL,
    item_id   BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (source_id, ext_key)
);
CREATE INDEX opinion_seen_item ON opinion_seen (item_id);

-- Full-text search on PostgreSQL scans opinion_items.norm, as the ledger's
-- search scans activities.search_text (store/search.go); SQLite has a
-- bigram FTS5 index.

-- Monitoring schemes (方案): a rule in the text engine's rule language,
-- matched against the title, the text or both (scope), optionally only for
-- some sources (source_ids, comma-separated) and within an active window.
CREATE TABLE opinion_schemes (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES orgs(id),
    name         TEXT NOT NULL,
    rule         TEXT NOT NULL,
    scope        TEXT NOT NULL DEFAULT 'all',  -- all | title | text
    source_ids   TEXT NOT NULL DEFAULT '',
    active_from  BIGINT NOT NULL DEFAULT 0,   -- 0: no start
    active_until BIGINT NOT NULL DEFAULT 0,   -- 0: no end
    enabled      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX opinion_schemes_unit ON opinion_schemes (unit_id);

-- A scheme's hit on an item, with the matched spans (JSON [[field, start,
-- end], …] in characters of the stored title or text) for highlighting.
CREATE TABLE opinion_hits (
    scheme_id BIGINT NOT NULL REFERENCES opinion_schemes(id),
    item_id   BIGINT NOT NULL REFERENCES opinion_items(id),
    unit_id   BIGINT NOT NULL,
    at        BIGINT NOT NULL,                -- the item's published time
    spans     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (scheme_id, item_id)
);
CREATE INDEX opinion_hits_item ON opinion_hits (item_id);
CREATE INDEX opinion_hits_scheme_time ON opinion_hits (scheme_id, at);

-- Events: a scheme's hits clustered by time and text. state is the domain's
-- cluster state (opinion package) kept between batches; merged_into is set
-- when an officer merged this event into another by hand.
CREATE TABLE opinion_events (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES orgs(id),
    scheme_id   BIGINT NOT NULL REFERENCES opinion_schemes(id),
    title       TEXT NOT NULL,
    rep_item_id BIGINT NOT NULL DEFAULT 0,
    first_at    BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    items       BIGINT NOT NULL DEFAULT 0,
    sources     BIGINT NOT NULL DEFAULT 0,
    neg_sum     DOUBLE PRECISION NOT NULL DEFAULT 0,
    weight_sum  DOUBLE PRECISION NOT NULL DEFAULT 0,       -- sum of the items' source weights
    negativity  DOUBLE PRECISION NOT NULL DEFAULT 0,       -- mean item negativity
    heat        DOUBLE PRECISION NOT NULL DEFAULT 0,
    state       TEXT NOT NULL DEFAULT '',
    merged_into BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX opinion_events_unit ON opinion_events (unit_id, last_at);
CREATE INDEX opinion_events_scheme ON opinion_events (scheme_id, last_at);

CREATE TABLE opinion_event_items (
    event_id BIGINT NOT NULL REFERENCES opinion_events(id),
    item_id  BIGINT NOT NULL REFERENCES opinion_items(id),
    at       BIGINT NOT NULL,
    PRIMARY KEY (event_id, item_id)
);
CREATE INDEX opinion_event_items_item ON opinion_event_items (item_id);

-- Volume per hour (hour = Unix seconds / 3600) for the timeline and growth.
CREATE TABLE opinion_event_hours (
    event_id BIGINT NOT NULL REFERENCES opinion_events(id),
    hour     BIGINT NOT NULL,
    n        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, hour)
);

-- +goose Down
SELECT 1;
