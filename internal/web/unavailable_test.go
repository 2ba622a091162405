package web_test

import (
	"database/sql"
	"fmt"
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
// server and posts the forms whose lookups once reported a lost connection
// as "报送科室: 不存在". SQLite: the handle is closed. PostgreSQL: through a
// proxy, the link is dropped at the first, second, third … message of the
// request in turn, so every query of the request — the session check, the
// lookups, the insert, the commit — loses the database once. Each time the
// answer must be 503 with the plain message, blaming no field, with nothing
// written; or, when the driver could safely retry on a new connection, the
// record saved exactly once.
func TestDatabaseUnavailableAnswers503(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		st := storetest.SQLite(t)
		var seq int
		var name, file string
		if err := st.DB().QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
			t.Fatal(err)
		}
		c, posts := unavailableSetup(t, st)
		before := rowCounts(t, st.DB())
		st.DB().Close()
		for _, p := range posts {
			code, body, _ := c.post(p.path, p.form)
			checkUnavailable(t, p.path, code, body)
		}
		db, err := sql.Open("sqlite", file)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		sameCounts(t, "closed handle", before, rowCounts(t, db))
	})
	t.Run("postgres", func(t *testing.T) {
		var proxy *storetest.Proxy
		st, _ := storetest.PostgresVia(t, func(server string) string {
			proxy = storetest.NewProxy(t, server)
			return proxy.Addr()
		})
		if st == nil {
			t.Skip("ZHENDI_TEST_PG not set")
		}
		c, posts := unavailableSetup(t, st)
		for _, p := range posts {
			drops := 0
			for k := 1; ; k++ {
				before := rowCounts(t, st.DB())
				proxy.DropAt(k)
				code, body, _ := c.post(p.path, p.form)
				if proxy.Armed() { // the request sent fewer than k messages: it ran to the end undisturbed
					proxy.DropAt(0)
					if code != http.StatusSeeOther {
						t.Errorf("POST %s without a drop: %d %s", p.path, code, pageMessage(body))
					}
					break
				}
				drops++
				after := rowCounts(t, st.DB())
				if code == http.StatusSeeOther { // retried on a fresh connection and saved
					if after[p.table] != before[p.table]+1 {
						t.Errorf("POST %s, drop at message %d: saved, but %s went from %d to %d rows", p.path, k, p.table, before[p.table], after[p.table])
					}
				} else {
					checkUnavailable(t, fmt.Sprintf("%s (drop at message %d)", p.path, k), code, body)
					sameCounts(t, fmt.Sprintf("POST %s, drop at message %d", p.path, k), before, after)
				}
				if k > 200 {
					t.Fatalf("POST %s: still sending after 200 messages", p.path)
				}
			}
			if drops < 3 {
				t.Errorf("POST %s: only %d drop points; the sweep did not reach the write", p.path, drops)
			}
		}
	})
}

type unavailablePost struct {
	path  string
	table string // where a successful post adds one row
	form  url.Values
}

// unavailableSetup logs in a clerk of unit A and returns the posts to try.
func unavailableSetup(t *testing.T, st *store.Store) (*client, []unavailablePost) {
	e := newEnv(t, st)
	two := seedTwoUnits(t, st)
	c := e.client()
	c.mustLogin("clerka")
	tok := c.csrf()
	unit := strconv.FormatInt(two.unitA.ID, 10)
	dept := strconv.FormatInt(two.deptA.ID, 10)
	return c, []unavailablePost{
		{"/info", "info_drafts", url.Values{"csrf": {tok}, "title": {"断线时报送的信息"}, "org": {dept},
			"category": {"工作动态"}, "body": {"<p>正文</p>"}, "then": {"save"}}},
		{"/ledger", "activities", url.Values{"csrf": {tok}, "type": {ledger.CentralGroup}, "title": {"断线时登记的学习"}, "date": {"2023-07-01"},
			"org": {dept}, "attendees": {strconv.FormatInt(two.clerkA.ID, 10)}}},
		{"/plan", "plan_items", url.Values{"csrf": {tok}, "unit": {unit}, "year": {"2023"}, "month": {"7"}, "topic": {"断线时的计划"}}},
		{"/supervise/rect", "rectifications", url.Values{"csrf": {tok}, "unit": {unit}, "title": {"断线时的问题"}, "source": {"inspection"},
			"deadline": {"2023-08-01"}, "org": {dept}, "owner": {strconv.FormatInt(two.clerkA.ID, 10)}}},
	}
}

func checkUnavailable(t *testing.T, what string, code int, body string) {
	t.Helper()
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "数据库暂时不可用，请稍后再试") {
		t.Errorf("POST %s with the database gone: %d %s", what, code, pageMessage(body))
	}
	if strings.Contains(body, "不存在") || strings.Contains(body, "不是本单位") {
		t.Errorf("POST %s blamed the user's input for a lost database: %s", what, pageMessage(body))
	}
}

var unavailableTables = []string{"activities", "attendance", "info_drafts", "plan_items", "rectifications", "audit_log"}

func sameCounts(t *testing.T, what string, before, after map[string]int) {
	t.Helper()
	for _, tb := range unavailableTables {
		if after[tb] != before[tb] {
			t.Errorf("%s: %s had %d rows before and %d after", what, tb, before[tb], after[tb])
		}
	}
}

func rowCounts(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range unavailableTables {
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
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`<title>([^<]*)</title>`), regexp.MustCompile(`(?s)role="alert">(.*?)</(?:div|p)>`)} {
		if m := re.FindStringSubmatch(body); m != nil {
			out = append(out, strings.Join(strings.Fields(m[1]), " "))
		}
	}
	return strings.Join(out, " | ")
}
