package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"

	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestLateRecordNeedsReason (issue 22 part 5): a 补记 — an entry recorded
// 7 days or more after its date — needs a reason on the ledger form and
// when an import's rows will be 补记; the reason is shown on the entry.
// An entry inside the window needs none.
func TestLateRecordNeedsReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // the clock is 2023-07-05 10:00
		f := seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		// The unit began recording in the system on 1 June (its first
		// entry, made that day), so later imported rows are not history.
		now := e.now
		e.now = time.Date(2023, 6, 1, 18, 0, 0, 0, cntime.Zone)
		if code, body, _ := c.post("/ledger", url.Values{"csrf": {c.csrf()}, "type": {ledger.CentralGroup}, "title": {"六月一日学习"}, "date": {"2023-06-01"},
			"org": {strconv.FormatInt(f.unitA.ID, 10)}}); code != http.StatusSeeOther {
			t.Fatalf("first entry: %d %s", code, pageMessage(body))
		}
		e.now = now
		form := url.Values{"csrf": {c.csrf()}, "type": {ledger.CentralGroup}, "title": {"六月中心组学习"}, "date": {"2023-06-01"},
			"org": {strconv.FormatInt(f.unitA.ID, 10)}}
		code, body, _ := c.post("/ledger", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "补记原因：活动日期已过34天（活动后7天及以上登记的记为补记），须写明补记原因") {
			t.Fatalf("补记 without a reason: %d %s", code, pageMessage(body))
		}
		form.Set("late_reason", "纸质记录整理后补录")
		code, body, loc := c.post("/ledger", form)
		if code != http.StatusSeeOther {
			t.Fatalf("补记 with a reason: %d %s", code, pageMessage(body))
		}
		_, page := c.get(strings.Split(loc, "?")[0])
		if !strings.Contains(page, "登记方式：补记。补记原因：纸质记录整理后补录") {
			t.Errorf("entry page: %s", regexp.MustCompile(`(?s)<p class="note" id="recording">.*?</p>`).FindString(page))
		}
		form.Set("date", "2023-07-01")
		form.Set("title", "七月中心组学习")
		form.Del("late_reason")
		if code, body, _ := c.post("/ledger", form); code != http.StatusSeeOther {
			t.Errorf("an entry inside the window: %d %s", code, pageMessage(body))
		}

		// Import: rows dated after the unit's first entry and 7 days or
		// more ago will be 补记: the preview asks for a reason, confirming
		// without one imports nothing.
		resp, err := c.hc.Get(e.srv.URL + "/ledger/template.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		tmpl, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		sheet := fillTemplate(t, tmpl, 2, func(row int, cells []any) []any {
			cells[0] = "2023-06-1" + strconv.Itoa(row) // 13 and 14 June
			cells[3] = "办公室"
			return cells
		})
		code, body = c.previewFile(sheet)
		if code != http.StatusOK || !strings.Contains(body, `placeholder="其中 2 条将记为补记，请写明原因"`) {
			t.Fatalf("preview: %d %.4000s", code, regexp.MustCompile(`(?s)<main.*</main>`).FindString(body))
		}
		confirm := confirmRE.FindString(body)
		code, body, _ = c.post(confirm, url.Values{"csrf": {c.csrf()}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "补记原因：第3行等活动日期已过7天及以上，导入后记为补记，确认导入时须写明补记原因") {
			t.Fatalf("confirm without a reason: %d %s", code, pageMessage(body))
		}
		if n := one(t, st, "SELECT COUNT(*) FROM activities WHERE import_batch_id IS NOT NULL")[0]; n != "0" {
			t.Fatalf("the refused import created %s entries", n)
		}
		code, body, _ = c.post(confirm, url.Values{"csrf": {c.csrf()}, "late_reason": {"原纸质台账补录"}})
		if code != http.StatusOK || !strings.Contains(body, "导入完成：新增 2 条") {
			t.Fatalf("confirm with a reason: %d %s", code, pageMessage(body))
		}
		if got := one(t, st, "SELECT DISTINCT late_reason FROM activities WHERE import_batch_id IS NOT NULL"); len(got) != 1 || got[0] != "原纸质台账补录" {
			t.Errorf("imported reasons %q", got)
		}
	})
}

// TestRecordingWaysOnSupervision (issue 22 part 5): the 补记情况 page shows
// how the unit's entries were recorded, and a district reader sees each
// unit's share of entries recorded at the source and of 补记, with the
// 补记 counts the late-record figures give (an independent count).
func TestRecordingWaysOnSupervision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		d := e.client()
		d.demoLogin("ducha")
		code, page := d.get("/supervise/late?period=2023H1")
		if code != http.StatusOK {
			t.Fatalf("district 补记情况: %d", code)
		}
		table := regexp.MustCompile(`(?s)<section class="card" id="recording-units">.*?</section>`).FindString(page)
		if !strings.Contains(table, "按单位顺序列出") {
			t.Fatalf("no per-unit table: %.3000s", page)
		}
		rowRE := regexp.MustCompile(`<tr><td><a href="\?unit=(\d+)&amp;period=2023H1">[^<]+</a></td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">[^<]*</td><td class="num">(\d+)</td>`)
		rows := rowRE.FindAllStringSubmatch(table, -1)
		if len(rows) < 2 {
			t.Fatalf("per-unit rows: %q", table)
		}
		ctx := t.Context()
		sc := access.Scope{ReadUnits: []int64{}}
		for _, r := range rows {
			id, _ := strconv.ParseInt(r[1], 10, 64)
			sc.ReadUnits = append(sc.ReadUnits, id)
		}
		seenDemo := false
		for _, r := range rows {
			id, _ := strconv.ParseInt(r[1], 10, 64)
			stats, err := st.LateStats(ctx, sc, id, "2023-01-01", "2023-06-30", 7, nil)
			if err != nil {
				t.Fatal(err)
			}
			if late := strconv.Itoa(stats[len(stats)-1].Late); r[4] != late {
				t.Errorf("unit %d: 补记 %s on the page, %s in the late figures", id, r[4], late)
			}
			seenDemo = seenDemo || id == info.UnitID
		}
		if !seenDemo {
			t.Error("the demo unit is not in the table")
		}
		// The unit's own breakdown adds up to its entries.
		c := e.client()
		c.demoLogin("zhuangan")
		_, page = c.get("/supervise/late?period=2023H1")
		ways := regexp.MustCompile(`(?s)<section class="card" id="recording-ways">.*?</section>`).FindString(page)
		total := regexp.MustCompile(`本单位本期台账 (\d+) 条`).FindStringSubmatch(ways)
		sum := 0
		for _, m := range regexp.MustCompile(`<tr><td>[^<]+</td><td class="num">(\d+)</td>`).FindAllStringSubmatch(ways, -1) {
			n, _ := strconv.Atoi(m[1])
			sum += n
		}
		if total == nil || strconv.Itoa(sum) != total[1] || sum == 0 {
			t.Errorf("recording ways: %q", ways)
		}
		if strings.Contains(page, `id="recording-units"`) {
			t.Error("a unit's clerk sees the per-unit table")
		}
	})
}
