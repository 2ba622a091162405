package web_test

import (
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestDatabaseUnavailableAnswers503 takes the database away from a running
// server — SQLite: the handle closed; PostgreSQL: every connection dropped
// and new ones refused, as when the link fails or the server restarts — and
// posts the forms whose lookups once reported a lost connection as
// "报送科室: 不存在". Each must answer 503 with the plain message, blame no
// field, and write nothing.
func TestDatabaseUnavailableAnswers503(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		st := storetest.SQLite(t)
		var seq int
		var name, file string
		if err := st.DB().QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
			t.Fatal(err)
		}
		postWhileDown(t, st, func() { st.DB().Close() }, nil, func() *sql.DB {
			db, err := sql.Open("sqlite", file)
			if err != nil {
				t.Fatal(err)
			}
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		var proxy *storetest.Proxy
		st, direct := storetest.PostgresVia(t, func(server string) string {
			proxy = storetest.NewProxy(t, server)
			return proxy.Addr()
		})
		if st == nil {
			t.Skip("ZHENDI_TEST_PG not set")
		}
		postWhileDown(t, st, nil, proxy, func() *sql.DB {
			db, err := sql.Open("pgx", direct)
			if err != nil {
				t.Fatal(err)
			}
			return db
		})
	})
}

// postWhileDown posts each form with the database gone: after cut() (the
// SQLite handle closed) or, through the proxy, with the connection dropped
// at the first statement of the request's transaction.
func postWhileDown(t *testing.T, st *store.Store, cut func(), proxy *storetest.Proxy, reopen func() *sql.DB) {
	e := newEnv(t, st)
	two := seedTwoUnits(t, st)
	c := e.client()
	c.mustLogin("clerka")
	tok := c.csrf()
	tables := []string{"activities", "attendance", "info_drafts", "plan_items", "rectifications", "audit_log"}
	before := rowCounts(t, st.DB(), tables)

	unit := strconv.FormatInt(two.unitA.ID, 10)
	if cut != nil {
		cut()
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/info", url.Values{"csrf": {tok}, "title": {"断线时报送的信息"}, "org": {strconv.FormatInt(two.deptA.ID, 10)},
			"category": {"工作动态"}, "body": {"<p>正文</p>"}, "then": {"save"}}},
		{"/ledger", url.Values{"csrf": {tok}, "type": {ledger.CentralGroup}, "title": {"断线时登记的学习"}, "date": {"2023-07-01"},
			"org": {strconv.FormatInt(two.deptA.ID, 10)}}},
		{"/plan", url.Values{"csrf": {tok}, "unit": {unit}, "year": {"2023"}, "month": {"7"}, "topic": {"断线时的计划"}}},
		{"/supervise/rect", url.Values{"csrf": {tok}, "unit": {unit}, "title": {"断线时的问题"}, "source": {"inspection"}, "deadline": {"2023-08-01"},
			"org": {strconv.FormatInt(two.deptA.ID, 10)}, "owner": {strconv.FormatInt(two.clerkA.ID, 10)}}},
	}
	for _, p := range posts {
		if proxy != nil {
			proxy.DropInTransaction()
		}
		code, body, _ := c.post(p.path, p.form)
		if proxy != nil && proxy.Armed() {
			t.Errorf("POST %s opened no transaction (%d %s); the test did not reach the write", p.path, code, pageMessage(body))
		}
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "数据库暂时不可用，请稍后再试") {
			t.Errorf("POST %s with the database down: %d %s", p.path, code, pageMessage(body))
		}
		if strings.Contains(body, "不存在") || strings.Contains(body, "不是本单位") {
			t.Errorf("POST %s blamed the user's input for a lost database: %s", p.path, pageMessage(body))
		}
	}

	db := reopen()
	defer db.Close()
	after := rowCounts(t, db, tables)
	for _, tb := range tables {
		if after[tb] != before[tb] {
			t.Errorf("%s: %d rows before, %d after the failed posts", tb, before[tb], after[tb])
		}
	}
}

func rowCounts(t *testing.T, db *sql.DB, tables []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + tb).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tb, err)
		}
		out[tb] = n
	}
	return out
}


// pageMessage is the title and error text of a page, for failure messages.
func pageMessage(body string) string {
	var out []string
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`<title>([^<]*)</title>`), regexp.MustCompile(`(?s)role="alert">(.*?)</`)} {
		if m := re.FindStringSubmatch(body); m != nil {
			out = append(out, strings.Join(strings.Fields(m[1]), " "))
		}
	}
	return strings.Join(out, " | ")
}
