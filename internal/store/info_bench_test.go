package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// infoDistrict is a generated district: 100 units × 7 departments, ten
// years (2014–2023) of drafts, about 500,000 in all, with publications and
// the decisions of the drafts still in review.
type infoDistrict struct {
	units  []int64
	clerk  org.User
	scope  access.Scope
	drafts int
}

func genInfoDistrict(b *testing.B, s *store.Store) infoDistrict {
	ctx := context.Background()
	var g infoDistrict
	start := time.Now()
	district := org.Node{Kind: org.District, Name: "基准区"}
	if err := s.CreateNode(ctx, store.System, &district); err != nil {
		b.Fatal(err)
	}
	depts := map[int64][]int64{}
	for u := range 100 {
		n := org.Node{Kind: org.Unit, Name: fmt.Sprintf("第%d局", u+1), ParentID: district.ID}
		if err := s.CreateNode(ctx, store.System, &n); err != nil {
			b.Fatal(err)
		}
		g.units = append(g.units, n.ID)
		for d := range 7 {
			dn := org.Node{Kind: org.Department, Name: fmt.Sprintf("第%d科", d+1), ParentID: n.ID}
			if err := s.CreateNode(ctx, store.System, &dn); err != nil {
				b.Fatal(err)
			}
			depts[n.ID] = append(depts[n.ID], dn.ID)
		}
	}
	g.clerk = org.User{OrgID: g.units[0], Username: "benchclerk", Name: "基准专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: g.units[0]}}}
	if err := svcOf(s).CreateUser(ctx, store.System, &g.clerk, "Kx7m-Lp2q9"); err != nil {
		b.Fatal(err)
	}
	author := org.User{OrgID: depts[g.units[0]][0], Username: "benchauthor", Name: "基准信息员", Grants: []access.Grant{{Role: access.InfoOfficer, OrgID: depts[g.units[0]][0]}}}
	if err := svcOf(s).CreateUser(ctx, store.System, &author, "Kx7m-Lp2q9"); err != nil {
		b.Fatal(err)
	}
	u, _ := s.User(ctx, g.clerk.ID)
	g.clerk = u
	g.scope = access.Build(u.ID, u.UnitID, u.Grants, func(int64) []int64 { return nil })

	chain := `[{"name":"初审","roles":["clerk"]},{"name":"复审","roles":["dept_head"],"dept":true},{"name":"终审","roles":["direct_resp","first_resp"]}]`
	rng := rand.New(rand.NewPCG(3, 5))
	db := s.DB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	type row []any
	var drafts []row
	// SQLite parses a statement per call: one prepared single-row insert is
	// fastest there; PostgreSQL prefers multi-row statements.
	sqlite := s.Dialect() == store.SQLite
	insDraft, err := tx.Prepare(`INSERT INTO info_drafts (id, unit_id, org_id, author_id, author_name, title, body, body_text, category, status, step,
		chain_json, version, cycle, submitted_date, submitted_at, step_due, approved_at, approved_date, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`)
	if err != nil {
		b.Fatal(err)
	}
	insPub, err := tx.Prepare(`INSERT INTO info_publications (draft_id, unit_id, kind, level, outlet, url, date, points, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`)
	if err != nil {
		b.Fatal(err)
	}
	flush := func() {
		if len(drafts) == 0 {
			return
		}
		if sqlite {
			for _, r := range drafts {
				if _, err := insDraft.Exec(r...); err != nil {
					b.Fatal(err)
				}
			}
			drafts = drafts[:0]
			return
		}
		var sb strings.Builder
		var a []any
		sb.WriteString(`INSERT INTO info_drafts (id, unit_id, org_id, author_id, author_name, title, body, body_text, category, status, step,
			chain_json, version, cycle, submitted_date, submitted_at, step_due, approved_at, approved_date, created_at, updated_at) VALUES `)
		for i, r := range drafts {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					sb.WriteByte(',')
				}
				a = append(a, v)
				fmt.Fprintf(&sb, "$%d", len(a))
			}
			sb.WriteByte(')')
		}
		if _, err := tx.Exec(sb.String(), a...); err != nil {
			b.Fatal(err)
		}
		drafts = drafts[:0]
	}
	var pubs [][]any
	flushPubs := func() {
		if len(pubs) == 0 {
			return
		}
		if sqlite {
			for _, r := range pubs {
				if _, err := insPub.Exec(r...); err != nil {
					b.Fatal(err)
				}
			}
			pubs = pubs[:0]
			return
		}
		var sb strings.Builder
		var a []any
		sb.WriteString(`INSERT INTO info_publications (draft_id, unit_id, kind, level, outlet, url, date, points, created_at) VALUES `)
		for i, r := range pubs {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					sb.WriteByte(',')
				}
				a = append(a, v)
				fmt.Fprintf(&sb, "$%d", len(a))
			}
			sb.WriteByte(')')
		}
		if _, err := tx.Exec(sb.String(), a...); err != nil {
			b.Fatal(err)
		}
		pubs = pubs[:0]
	}
	id := int64(0)
	body := "<p>基准正文</p>"
	for _, unit := range g.units {
		for year := 2014; year <= 2023; year++ {
			for month := 1; month <= 12; month++ {
				for _, dept := range depts[unit] {
					n := 2 + rng.IntN(9) // 2–10 a month: about 6
					if rng.IntN(12) == 0 {
						n = 0 // 零报送
					}
					for k := range n {
						id++
						date := fmt.Sprintf("%04d-%02d-%02d", year, month, 1+rng.IntN(28))
						at := time.Date(year, time.Month(month), 1, 9, 0, 0, 0, time.UTC).Unix()
						status, step, due := "published", 2, any(nil)
						var approvedAt, approvedDate any = at + 86400, date
						last := year == 2023 && month == 12
						switch {
						case last && k < 2:
							status, step, due, approvedAt, approvedDate = "review", k, at+2*86400, nil, nil
						case rng.IntN(40) == 0:
							status, approvedAt, approvedDate = "withdrawn", nil, nil
						case rng.IntN(3) == 0:
							status = "approved"
						}
						drafts = append(drafts, row{id, unit, dept, nil, "信息员", fmt.Sprintf("信息%d", id), body, "基准正文", "工作动态", status, step,
							chain, 1, 1, date, at, due, approvedAt, approvedDate, at, at})
						if status == "published" {
							lvl, kind := "portal", "publish"
							if rng.IntN(4) == 0 {
								lvl, kind = "district", "adopt"
							}
							pubs = append(pubs, []any{id, unit, kind, lvl, "", "", date, 10, at})
						}
						if len(drafts) == 400 {
							flush()
						}
						if len(pubs) == 800 {
							flush() // publications refer to their drafts
							flushPubs()
						}
					}
				}
			}
		}
	}
	flush()
	flushPubs()
	if s.Dialect() == store.Postgres {
		if _, err := tx.Exec(`SELECT setval(pg_get_serial_sequence('info_drafts','id'), (SELECT MAX(id) FROM info_drafts))`); err != nil {
			b.Fatal(err)
		}
	}
	insDraft.Close()
	insPub.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.Exec("ANALYZE")
	g.drafts = int(id)
	b.Logf("generated %d drafts in %v", id, time.Since(start).Round(time.Second))
	return g
}

// BenchmarkInfoDistrict times the review queue, a unit's monthly bulletin
// and the district bulletin over ≈500,000 drafts (target: under 100 ms
// p95). It reports the p95 of the iterations as p95-ms.
func BenchmarkInfoDistrict(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			var s *store.Store
			if db == "sqlite" {
				s = storetest.SQLite(b)
			} else if s = storetest.Postgres(b); s == nil {
				b.Skip("ZHENDI_TEST_PG not set")
			}
			if os.Getenv("ZHENDI_BENCH_INFO") == "" && testing.Short() {
				b.Skip("short")
			}
			g := genInfoDistrict(b, s)
			ctx := context.Background()
			district := access.Scope{UserID: 1, ReadUnits: slices.Clone(g.units)}
			cases := []struct {
				name string
				fn   func() (int, error)
			}{
				{"queue", func() (int, error) {
					q, err := s.ReviewQueue(ctx, g.scope, g.clerk.ID, g.clerk.Grants)
					return len(q), err
				}},
				{"bulletin-unit", func() (int, error) {
					bl, err := s.InfoBulletin(ctx, g.scope, g.units[0], "2023-06")
					return bl.Total.Submitted, err
				}},
				{"bulletin-district", func() (int, error) {
					bl, err := s.InfoBulletin(ctx, district, 0, "2023-06")
					return bl.Total.Submitted, err
				}},
				{"figures-half-year", func() (int, error) {
					f, err := s.InfoFigures(ctx, g.scope, g.units[0], "2023-01-01", "2023-06-30")
					return f.Written, err
				}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var times []time.Duration
					var n int
					for b.Loop() {
						t0 := time.Now()
						var err error
						if n, err = c.fn(); err != nil {
							b.Fatal(err)
						}
						times = append(times, time.Since(t0))
					}
					if n == 0 {
						b.Fatalf("%s returned nothing", c.name)
					}
					slices.Sort(times)
					b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(g.drafts), "drafts")
				})
			}
		})
	}
}

var _ = infosub.StatusDraft
