package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// Ledger search finds any substring of two or more characters, which Chinese
// needs (a word is often two characters and there are no spaces). On SQLite
// it uses an FTS5 index of character bigrams: "深入学习" is indexed as the
// tokens 深入 入学 学习, and a query becomes the phrase of its own bigrams, so
// a match means the characters stand next to each other in the text. Runs of
// letters and digits are indexed separately, so punctuation and spaces in the
// text or the query do not matter. A one-character query cannot use bigrams
// and falls back to a LIKE scan, as does PostgreSQL.

// searchVersion changes when the gram rules change; the index is rebuilt.
const searchVersion = "1"

// runs splits text into lower-cased runs of letters and digits.
func runs(text string) [][]rune {
	var out [][]rune
	var cur []rune
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			cur = append(cur, unicode.ToLower(r))
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// bigrams is the indexed form of text: every run's bigrams in order, runs
// separated by a newline (which unicode61 treats as a separator too).
func bigrams(text string) string {
	var b strings.Builder
	b.Grow(len(text) * 2)
	for _, run := range runs(text) {
		if len(run) == 1 {
			continue
		}
		for i := 0; i+1 < len(run); i++ {
			b.WriteRune(run[i])
			b.WriteRune(run[i+1])
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ftsQuery turns a user's query into an FTS5 MATCH expression; ok is false
// when some part is a single character, which bigrams cannot answer, or when
// no part is three characters or longer: a lone bigram such as 学习 or 工作
// occurs in most entries, and reading its whole posting list is slower than
// scanning the text (on ten years of a district: 1.0 s against 0.6 s, while
// 安全生产 takes 0.15 s through the index against 0.6 s scanning).
func ftsQuery(q string) (string, bool) {
	rs := runs(q)
	if len(rs) == 0 {
		return "", false
	}
	longest := 0
	for _, run := range rs {
		longest = max(longest, len(run))
	}
	if longest < 3 {
		return "", false
	}
	parts := make([]string, 0, len(rs))
	for _, run := range rs {
		if len(run) < 2 {
			return "", false
		}
		grams := make([]string, 0, len(run)-1)
		for i := 0; i+1 < len(run); i++ {
			grams = append(grams, string(run[i:i+2]))
		}
		// Tokens hold only letters and digits, so no quote can occur inside.
		parts = append(parts, `"`+strings.Join(grams, " ")+`"`)
	}
	return strings.Join(parts, " AND "), true
}

// searchCond is the SQL condition for a text query: every run of the query
// must occur in the entry. With useIndex, SQLite answers runs of two or more
// characters from the bigram index; otherwise (and for single characters, and
// on PostgreSQL) search_text is scanned.
func (s *Store) searchCond(q string, useIndex bool, a *args) string {
	if s.dialect == SQLite && useIndex {
		if m, ok := ftsQuery(q); ok {
			return "a.id IN (SELECT rowid FROM activity_search WHERE activity_search MATCH " + a.add(m) + ")"
		}
	}
	like := "LIKE" // SQLite's LIKE already folds ASCII case
	if s.dialect == Postgres {
		like = "ILIKE"
	}
	rs := runs(q)
	if len(rs) == 0 {
		return "1=1"
	}
	conds := make([]string, len(rs))
	for i, run := range rs {
		conds[i] = "a.search_text " + like + " " + a.add("%"+likeEscape(string(run))+"%") + ` ESCAPE '\'`
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// searchDoc is one entry's search text, keyed by the entry's id.
type searchDoc struct {
	id   int64
	text string
}

// indexActivities (re)indexes entries' search text inside the caller's
// transaction, all in one statement; PostgreSQL needs nothing. Callers run
// it as the transaction's last statement: FTS5 writes its pending terms out
// as a new index segment whenever a later statement opens a savepoint, so
// indexing each entry between its other rows made one segment per entry,
// and merging those segments made a growing ledger slower with every unit
// (issue 21).
func (s *Store) indexActivities(ctx context.Context, ex execer, docs []searchDoc, replace bool) error {
	if s.dialect != SQLite || len(docs) == 0 {
		return nil
	}
	pairs := make([][2]any, len(docs))
	ids := make([]int64, len(docs))
	for i, d := range docs {
		pairs[i] = [2]any{d.id, bigrams(d.text)}
		ids[i] = d.id
	}
	if replace {
		idList, err := json.Marshal(ids)
		if err != nil {
			return fmt.Errorf("encode ids to unindex: %w", err)
		}
		if _, err := ex.ExecContext(ctx, "DELETE FROM activity_search WHERE rowid IN (SELECT value FROM json_each($1))", string(idList)); err != nil {
			return fmt.Errorf("unindex activities: %w", err)
		}
	}
	batch, err := json.Marshal(pairs)
	if err != nil {
		return fmt.Errorf("encode search text: %w", err)
	}
	_, err = ex.ExecContext(ctx, `INSERT INTO activity_search (rowid, bi)
		SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1)`, string(batch))
	if err != nil {
		return fmt.Errorf("index %d activities: %w", len(docs), err)
	}
	return nil
}

// ensureSearchIndex fills the index for entries written before it existed
// (or under older gram rules), in batches so a large ledger does not hold
// one long write lock.
func (s *Store) ensureSearchIndex(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	v, _, err := s.setting(ctx, "search.version")
	if err != nil || v == searchVersion {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM activity_search"); err != nil {
		return fmt.Errorf("clear search index: %w", err)
	}
	var last int64
	for {
		n := 0
		err := s.tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, "SELECT id, search_text FROM activities WHERE id > $1 ORDER BY id LIMIT 2000", last)
			if err != nil {
				return err
			}
			var docs []searchDoc
			for rows.Next() {
				var d searchDoc
				if err := rows.Scan(&d.id, &d.text); err != nil {
					rows.Close()
					return err
				}
				docs = append(docs, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(docs) > 0 {
				last = docs[len(docs)-1].id
			}
			n = len(docs)
			return s.indexActivities(ctx, tx, docs, false)
		})
		if err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
		if n == 0 {
			break
		}
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('search.version', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, searchVersion)
	return err
}
