// Package perf generates a district-sized ledger and measures the pages
// people open most (the home page and the filtered ledger list) through the
// real HTTP handler, logged in through the real login form. It backs the
// `zhendi bench` subcommand and the performance goal of issue 3: 100 units ×
// 10 years (≈300k activities, ≈6M attendance rows), home and ledger list
// under 100 ms at p95.
//
// The data is performance data only: every account shares one password hash
// (see insertUsers), which a real installation never does.
package perf

import (
	"context"
	"errors"
	"fmt"

	"zhendi/internal/store"
)

// Password is the password of every generated account.
const Password = "Perf2025zhendi"

// Codes and user names of the generated district; Find looks them up again.
const (
	districtCode   = "perf-district"
	supervisorUser = "perf-supervisor"
)

func unitCode(unit int) string       { return fmt.Sprintf("perf-u%03d", unit+1) }
func deptCode(unit, dept int) string { return fmt.Sprintf("perf-u%03d-d%d", unit+1, dept+1) }
func staffUser(unit, n int) string   { return fmt.Sprintf("p%03d-%03d", unit+1, n+1) }
func clerkUser(unit int) string      { return staffUser(unit, clerkIndex) }
func personUser(unit, n int) string  { return staffUser(unit, n) }

// cntime.Zone is China Standard Time, in which activities happen and are recorded.

// Options size the generated district.
type Options struct {
	Units int // units in the district (default 100)
	Years int // years of ledger per unit (default 10)
	// Staff per unit (default 90). The issue's ≈6M attendance rows for
	// ≈300k entries need about 20 attendees per entry on average; with
	// personal records (心得, 自学) and 宣讲 carrying no attendance list, that
	// takes bureaus of about 90 people, which is a normal county bureau.
	Staff int
	// PerYear is the rough number of entries per unit and year (default 300).
	PerYear int
	// EndYear is the last year generated, ending on 31 December (default 2025).
	EndYear int
}

func (o Options) withDefaults() Options {
	if o.Units <= 0 {
		o.Units = 100
	}
	if o.Years <= 0 {
		o.Years = 10
	}
	if o.Staff <= 0 {
		o.Staff = 90
	}
	if o.Staff < minStaff {
		o.Staff = minStaff
	}
	if o.PerYear <= 0 {
		o.PerYear = 300
	}
	if o.EndYear == 0 {
		o.EndYear = 2025
	}
	return o
}

// Dataset says what was generated and who to log in as.
type Dataset struct {
	DistrictID int64
	UnitIDs    []int64
	// Clerk is the 意识形态专干 of the first unit; Person is a staff member of
	// that unit used for the person filter.
	Clerk, Supervisor string
	PersonID          int64
	Password          string
	Activities        int64
	Attendance        int64
	Users             int64
	FirstYear         int
	EndYear           int
}

// ErrNoData is returned by Find when the database holds no complete generated district.
var ErrNoData = errors.New("no generated benchmark district in this database")

// Find reads back a district generated earlier. The supervisor account is
// created last, so its presence means generation finished.
func Find(ctx context.Context, st *store.Store) (Dataset, error) {
	ds := Dataset{Clerk: clerkUser(0), Supervisor: supervisorUser, Password: Password}
	district, err := st.NodeByCode(ctx, districtCode)
	if errors.Is(err, store.ErrNotFound) {
		return ds, ErrNoData
	} else if err != nil {
		return ds, fmt.Errorf("find district: %w", err)
	}
	if _, err := st.UserByUsername(ctx, supervisorUser); errors.Is(err, store.ErrNotFound) {
		return ds, ErrNoData
	} else if err != nil {
		return ds, fmt.Errorf("find supervisor: %w", err)
	}
	ds.DistrictID = district.ID
	if ds.UnitIDs, err = st.UnitsUnder(ctx, district.ID); err != nil {
		return ds, err
	}
	person, err := st.UserByUsername(ctx, personUser(0, personIndex))
	if err != nil {
		return ds, fmt.Errorf("find person: %w", err)
	}
	ds.PersonID = person.ID
	if err := ds.count(ctx, st); err != nil {
		return ds, err
	}
	return ds, nil
}

// count fills the row counts and the year range from the database.
func (ds *Dataset) count(ctx context.Context, st *store.Store) error {
	db := st.DB()
	var first, last string
	err := db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MIN(date),''), COALESCE(MAX(date),'') FROM activities`).Scan(&ds.Activities, &first, &last)
	if err != nil {
		return fmt.Errorf("count activities: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM attendance`).Scan(&ds.Attendance); err != nil {
		return fmt.Errorf("count attendance: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&ds.Users); err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	if len(first) >= 4 && len(last) >= 4 {
		fmt.Sscan(first[:4], &ds.FirstYear)
		fmt.Sscan(last[:4], &ds.EndYear)
	}
	return nil
}

// Analyze refreshes the query planner's statistics after a bulk load: a
// full ANALYZE on SQLite followed by the store's own Optimize (which keeps
// small tables from being planned as scans); VACUUM ANALYZE on PostgreSQL,
// which also sets the visibility map that index-only counts need
// (autovacuum does the same later on its own).
func Analyze(ctx context.Context, st *store.Store) error {
	q := "ANALYZE"
	if st.Dialect() == store.Postgres {
		q = "VACUUM ANALYZE"
	}
	if _, err := st.DB().ExecContext(ctx, q); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return st.Optimize(ctx)
}
