package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"zhendi/internal/access"
)

// Opinion source kinds.
const (
	SourceFeed   = "feed"
	SourcePush   = "push"
	SourceImport = "import"
)

// OpinionSource is where a unit's opinion items come from, with its health.
type OpinionSource struct {
	ID          int64
	UnitID      int64
	Kind        string // SourceFeed, SourcePush, SourceImport
	Name        string
	URL         string // feeds
	IntervalSec int    // feeds: seconds between polls
	Weight      float64
	Enabled     bool
	HasToken    bool // push: a token is set (only its hash is kept)

	ETag, LastModified string
	NextFetchAt        int64
	LastSuccessAt      int64
	LastError          string
	LastErrorAt        int64
	ItemsTotal         int64
	CreatedAt          int64
	UpdatedAt          int64
	// ItemsPerDay is the mean of items stored a day over the last 7 days
	// (filled by OpinionSources).
	ItemsPerDay float64
}

const sourceCols = `id, unit_id, kind, name, url, interval_sec, weight, enabled, token_hash <> '', etag, last_modified,
	next_fetch_at, last_success_at, last_error, last_error_at, items_total, created_at, updated_at`

func scanSource(r interface{ Scan(...any) error }) (OpinionSource, error) {
	var o OpinionSource
	var enabled int
	err := r.Scan(&o.ID, &o.UnitID, &o.Kind, &o.Name, &o.URL, &o.IntervalSec, &o.Weight, &enabled, &o.HasToken, &o.ETag, &o.LastModified,
		&o.NextFetchAt, &o.LastSuccessAt, &o.LastError, &o.LastErrorAt, &o.ItemsTotal, &o.CreatedAt, &o.UpdatedAt)
	o.Enabled = enabled == 1
	return o, err
}

// TokenHash is how a push token is kept: only its SHA-256, so a database
// copy does not hand out the tokens.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// OpinionSources lists a unit's live sources with their items per day.
func (s *Store) OpinionSources(ctx context.Context, sc access.Scope, unitID int64) ([]OpinionSource, error) {
	if !sc.CanRead(unitID, unitID) {
		return nil, ErrNotFound
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+sourceCols+" FROM opinion_sources WHERE unit_id = $1 AND deleted_at IS NULL ORDER BY kind, name, id", unitID)
	if err != nil {
		return nil, fmt.Errorf("list opinion sources: %w", err)
	}
	var out []OpinionSource
	for rows.Next() {
		o, err := scanSource(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	since := s.Now().Unix() - 7*86400
	counts, err := queryCounts[int64](ctx, s.db, `SELECT source_id, COUNT(*) FROM opinion_items
		WHERE unit_id = $1 AND fetched_at >= $2 GROUP BY source_id`, unitID, since)
	if err != nil {
		return nil, fmt.Errorf("count items per source: %w", err)
	}
	for i := range out {
		out[i].ItemsPerDay = float64(counts[out[i].ID]) / 7
	}
	return out, nil
}

// OpinionSource returns one source the scope may read.
func (s *Store) OpinionSource(ctx context.Context, sc access.Scope, id int64) (OpinionSource, error) {
	o, err := scanSource(s.db.QueryRowContext(ctx, "SELECT "+sourceCols+" FROM opinion_sources WHERE id = $1 AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanRead(o.UnitID, o.UnitID)) {
		return OpinionSource{}, ErrNotFound
	} else if err != nil {
		return o, fmt.Errorf("read opinion source %d: %w", id, err)
	}
	return o, nil
}

// SourceByToken finds the live, enabled push source whose token is token.
func (s *Store) SourceByToken(ctx context.Context, token string) (OpinionSource, error) {
	if token == "" {
		return OpinionSource{}, ErrNotFound
	}
	o, err := scanSource(s.db.QueryRowContext(ctx, "SELECT "+sourceCols+` FROM opinion_sources
		WHERE token_hash = $1 AND kind = 'push' AND enabled = 1 AND deleted_at IS NULL`, TokenHash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	} else if err != nil {
		return o, fmt.Errorf("find push source: %w", err)
	}
	return o, nil
}

// SaveOpinionSource creates (ID 0) or updates a source of o.UnitID, which
// the scope must be able to write. newToken, when not empty, replaces the
// push token (only its hash is stored). Changing a feed's URL clears its
// conditional-GET state and makes it due at once.
func (s *Store) SaveOpinionSource(ctx context.Context, actor Actor, sc access.Scope, o *OpinionSource, newToken string) error {
	if !sc.CanWrite(o.UnitID, o.UnitID) {
		return ErrNotFound
	}
	now := s.Now().Unix()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if o.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO opinion_sources (unit_id, kind, name, url, interval_sec, weight, token_hash, enabled, created_at, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id`, o.UnitID, o.Kind, o.Name, o.URL, o.IntervalSec, o.Weight,
				tokenHashOrEmpty(newToken), b2i(o.Enabled), now).Scan(&o.ID)
			if err != nil {
				return fmt.Errorf("insert opinion source: %w", err)
			}
			o.CreatedAt, o.UpdatedAt, o.HasToken = now, now, newToken != ""
			return s.appendAudit(ctx, tx, actor, o.UnitID, "opinion.source.create", "opinion_source", o.ID, nil, o)
		}
		before, err := scanSource(tx.QueryRowContext(ctx, "SELECT "+sourceCols+" FROM opinion_sources WHERE id = $1 AND unit_id = $2 AND deleted_at IS NULL", o.ID, o.UnitID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read opinion source %d: %w", o.ID, err)
		}
		o.Kind = before.Kind
		q := `UPDATE opinion_sources SET name = $1, url = $2, interval_sec = $3, weight = $4, enabled = $5, updated_at = $6`
		if before.URL != o.URL {
			q += `, etag = '', last_modified = '', next_fetch_at = 0`
		}
		a := args{o.Name, o.URL, o.IntervalSec, o.Weight, b2i(o.Enabled), now}
		if newToken != "" {
			q += ", token_hash = " + a.add(TokenHash(newToken))
		}
		q += " WHERE id = " + a.add(o.ID)
		if _, err := tx.ExecContext(ctx, q, a...); err != nil {
			return fmt.Errorf("update opinion source: %w", err)
		}
		o.HasToken = before.HasToken || newToken != ""
		o.UpdatedAt = now
		return s.appendAudit(ctx, tx, actor, o.UnitID, "opinion.source.update", "opinion_source", o.ID, before, o)
	})
}

func tokenHashOrEmpty(tok string) string {
	if tok == "" {
		return ""
	}
	return TokenHash(tok)
}

// DeleteOpinionSource removes a source (soft); its items stay.
func (s *Store) DeleteOpinionSource(ctx context.Context, actor Actor, sc access.Scope, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		o, err := scanSource(tx.QueryRowContext(ctx, "SELECT "+sourceCols+" FROM opinion_sources WHERE id = $1 AND deleted_at IS NULL", id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanWrite(o.UnitID, o.UnitID)) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read opinion source %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE opinion_sources SET deleted_at = $1, token_hash = '' WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("delete opinion source: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, o.UnitID, "opinion.source.delete", "opinion_source", id, o, nil)
	})
}

// ImportSource returns the unit's source for file imports, creating it
// (with its audit entry) the first time.
func (s *Store) ImportSource(ctx context.Context, actor Actor, unitID int64) (OpinionSource, error) {
	var o OpinionSource
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = scanSource(tx.QueryRowContext(ctx, "SELECT "+sourceCols+" FROM opinion_sources WHERE unit_id = $1 AND kind = 'import' AND deleted_at IS NULL ORDER BY id LIMIT 1", unitID))
		if err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find import source: %w", err)
		}
		now := s.Now().Unix()
		o = OpinionSource{UnitID: unitID, Kind: SourceImport, Name: "文件导入", Weight: 1, Enabled: true, CreatedAt: now, UpdatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO opinion_sources (unit_id, kind, name, weight, enabled, created_at, updated_at)
			VALUES ($1, 'import', $2, 1, 1, $3, $3) RETURNING id`, unitID, o.Name, now).Scan(&o.ID); err != nil {
			return fmt.Errorf("create import source: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "opinion.source.create", "opinion_source", o.ID, nil, o)
	})
	return o, err
}

// ClaimDueFeeds claims up to limit enabled feeds (of unitID, or of every
// unit when unitID is 0) that are due at now and not claimed by another
// round, for lease seconds: another node's round skips them until the
// lease ends or FeedFetched releases them. Claiming is one conditional
// UPDATE per feed, so two nodes never claim the same feed.
//
// force claims the feeds whether due or not (one round by hand).
func (s *Store) ClaimDueFeeds(ctx context.Context, unitID, now int64, lease int64, limit int, force bool) ([]OpinionSource, error) {
	dueCond := "next_fetch_at <= $1"
	if force {
		dueCond = "1=1"
	}
	a := args{now}
	q := "SELECT " + sourceCols + ` FROM opinion_sources WHERE kind = 'feed' AND enabled = 1 AND deleted_at IS NULL
		AND ` + dueCond + ` AND claimed_until <= $1`
	if unitID != 0 {
		q += " AND unit_id = " + a.add(unitID)
	}
	q += " ORDER BY next_fetch_at, id LIMIT " + a.add(limit)
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("list due feeds: %w", err)
	}
	var due []OpinionSource
	for rows.Next() {
		o, err := scanSource(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		due = append(due, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []OpinionSource
	for _, o := range due {
		res, err := s.db.ExecContext(ctx, `UPDATE opinion_sources SET claimed_until = $3 WHERE id = $2 AND claimed_until <= $1 AND `+dueCond,
			now, o.ID, now+lease)
		if err != nil {
			return out, fmt.Errorf("claim feed %d: %w", o.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, o)
		}
	}
	return out, nil
}

// FeedFetched records the outcome of one poll of a claimed feed and
// releases the claim: on success (errText "") the new validators and the
// success time; on failure the error (the validators stay). The next poll
// is due interval_sec after now either way.
func (s *Store) FeedFetched(ctx context.Context, id, now int64, etag, lastModified, errText string) error {
	var err error
	if errText == "" {
		_, err = s.db.ExecContext(ctx, `UPDATE opinion_sources SET etag = $1, last_modified = $2, last_success_at = $3,
			next_fetch_at = $3 + interval_sec, claimed_until = 0 WHERE id = $4`, etag, lastModified, now, id)
	} else {
		_, err = s.db.ExecContext(ctx, `UPDATE opinion_sources SET last_error = $1, last_error_at = $2,
			next_fetch_at = $2 + interval_sec, claimed_until = 0 WHERE id = $3`, errText, now, id)
	}
	if err != nil {
		return fmt.Errorf("record feed %d fetch: %w", id, err)
	}
	return nil
}

// SourceWeights maps a unit's sources to their weights (for heat).
func (s *Store) SourceWeights(ctx context.Context, unitID int64) (map[int64]float64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, weight FROM opinion_sources WHERE unit_id = $1", unitID)
	if err != nil {
		return nil, fmt.Errorf("read source weights: %w", err)
	}
	defer rows.Close()
	out := map[int64]float64{}
	for rows.Next() {
		var id int64
		var w float64
		if err := rows.Scan(&id, &w); err != nil {
			return nil, err
		}
		out[id] = w
	}
	return out, rows.Err()
}

// ImportedBefore counts how many of keys (items' idempotency keys) the
// unit's file imports delivered before: the import preview's "already
// imported". It writes nothing (the import source may not exist yet).
func (s *Store) ImportedBefore(ctx context.Context, unitID int64, keys []string) (int, error) {
	total := 0
	for start := 0; start < len(keys); start += 500 {
		a := args{unitID}
		q := `SELECT COUNT(*) FROM opinion_seen WHERE source_id IN (SELECT id FROM opinion_sources WHERE unit_id = $1 AND kind = 'import' AND deleted_at IS NULL)
			AND ext_key ` + s.textIn(&a, keys[start:min(len(keys), start+500)])
		var n int
		if err := s.db.QueryRowContext(ctx, q, a...).Scan(&n); err != nil {
			return 0, fmt.Errorf("count items imported before: %w", err)
		}
		total += n
	}
	return total, nil
}
