package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/ledger"
	"zhendi/internal/storetest"
)

// TestStorageFullAnswers507 fills the SQLite database for real — its page
// limit set to the pages it already has, so the next insert fails with
// SQLITE_FULL as on a full disk — and posts a ledger entry and an
// information draft. Each must answer 507 with the plain message, not a
// validation error, and write nothing.
func TestStorageFullAnswers507(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	two := seedTwoUnits(t, st)
	c := e.client()
	c.mustLogin("clerka")
	tok := c.csrf()
	before := rowCounts(t, st.DB())

	// One connection, so the per-connection page limit binds every query.
	st.DB().SetMaxOpenConns(1)
	st.DB().SetMaxIdleConns(1)
	var pages int
	if err := st.DB().QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec("PRAGMA max_page_count = " + strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	dept := strconv.FormatInt(two.deptA.ID, 10)
	long := strings.Repeat("会议传达学习了有关精神。", 400) // needs new pages whatever the free space
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/ledger", url.Values{"csrf": {tok}, "type": {ledger.CentralGroup}, "title": {"存储已满时登记的学习"}, "date": {"2023-07-01"},
			"org": {dept}, "content": {long}, "attendees": {strconv.FormatInt(two.clerkA.ID, 10)}}},
		{"/info", url.Values{"csrf": {tok}, "title": {"存储已满时报送的信息"}, "org": {dept}, "category": {"工作动态"},
			"body": {"<p>" + long + "</p>"}, "then": {"save"}}},
	} {
		code, body, _ := c.post(p.path, p.form)
		if code != http.StatusInsufficientStorage || !strings.Contains(body, "服务器存储空间不足，请联系管理员") {
			t.Errorf("POST %s with the database full: %d %s", p.path, code, pageMessage(body))
		}
	}
	if _, err := st.DB().Exec("PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "database full", before, rowCounts(t, st.DB()))
}
