package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

var channelLocRE = regexp.MustCompile(`/channels/(\d+)`)

// TestChannelsRegistry is the clerk's 阵地 work through the real router: a
// refused form beside its field, a 公众号 registered without 报备 (flagged
// in its history and as a finding), a manual check that makes it a 僵尸号
// on the single-veto view at 15 days, a rename with its 报备, the unit's
// own rule from a date, the 报备 records page, Excel export and the
// all-or-nothing import — and another unit's clerk refused every step.
func TestChannelsRegistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		a := e.client()
		a.mustLogin("clerka")
		b := e.client()
		b.mustLogin("clerkb")
		tok := a.csrf()
		unit := fmt.Sprint(f.unitA.ID)

		if code, body := a.get("/channels"); code != http.StatusOK || !strings.Contains(body, "尚未登记阵地") {
			t.Fatalf("empty board: %d %s", code, pageMessage(body))
		}
		form := url.Values{"csrf": {tok}, "unit": {unit}, "kind": {"wechat_mp"}, "name": {""}, "responsible_id": {fmt.Sprint(f.clerkA.ID)}}
		if code, body, _ := a.post("/channels", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "名称：不能为空") {
			t.Fatalf("empty name: %d %s", code, pageMessage(body))
		}
		form.Set("name", "甲局发布")
		code, body, loc := a.post("/channels", form)
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", code, pageMessage(body))
		}
		id := channelLocRE.FindStringSubmatch(loc)[1]
		_, page := a.get("/channels/" + id)
		if !strings.Contains(page, "未报备") || !strings.Contains(page, "无注明日期的信息") {
			t.Fatalf("an opening without 报备 must be flagged: %s", pageMessage(page))
		}
		if n := count(t, st, "SELECT COUNT(*) FROM channel_findings WHERE kind = 'unfiled' AND status = 'open'"); n != 1 {
			t.Fatalf("%d unfiled findings, want 1", n)
		}

		// Another unit's clerk sees and changes nothing.
		for _, p := range []string{"/channels/" + id, "/channels/" + id + "/edit"} {
			if code, body := b.get(p); code != http.StatusNotFound || strings.Contains(body, "甲局发布") {
				t.Errorf("GET %s as unit B: %d", p, code)
			}
		}
		for _, p := range []string{"/channels/" + id, "/channels/" + id + "/manual", "/channels/" + id + "/check"} {
			if code, _, _ := b.post(p, url.Values{"csrf": {b.csrf()}, "name": {"乙局篡改"}, "last_update": {"2023-07-01"}, "kind": {"wechat_mp"}}); code != http.StatusNotFound && code != http.StatusForbidden {
				t.Errorf("POST %s as unit B: %d", p, code)
			}
		}

		// A manual check 15 days ago: a 僵尸号 by the default 2-week rule.
		if code, body, _ := a.post("/channels/"+id+"/manual", url.Values{"csrf": {tok}, "last_update": {"2023-06-20"}}); code != http.StatusSeeOther {
			t.Fatalf("manual check: %d %s", code, pageMessage(body))
		}
		_, page = a.get("/channels/" + id)
		if !strings.Contains(page, "距上次更新 15 天") || !strings.Contains(page, "张专干 人工检查") || !strings.Contains(page, "国办秘函〔2019〕19号") {
			t.Fatalf("detail after manual check: %s", pageMessage(page))
		}
		_, board := a.get("/channels")
		zombie := regexp.MustCompile(`(?s)<tr class="r-red"><td><strong>政务新媒体不更新（僵尸号）</strong>.*?不合格`)
		if !zombie.MatchString(board) || !strings.Contains(board, "1 项不合格") {
			t.Fatalf("the board must show the 僵尸号 veto failing: %s", pageMessage(board))
		}
		if code, body, _ := a.post("/channels/"+id+"/manual", url.Values{"csrf": {tok}, "last_update": {"2023-08-01"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "最近更新日期：不能晚于今天") {
			t.Fatalf("future manual check: %d %s", code, pageMessage(body))
		}

		// The unit's own rule: 30 days for 公众号 from 2023-07-01.
		if code, body, _ := a.post("/channels/rules", url.Values{"csrf": {tok}, "unit": {unit}, "kind": {"wechat_mp"}, "limit": {"30"}, "per": {"day"}, "valid_from": {"2023-07-01"}}); code != http.StatusSeeOther {
			t.Fatalf("rule: %d %s", code, pageMessage(body))
		}
		_, rules := a.get("/channels/rules")
		if !strings.Contains(rules, "2023年7月1日 起：30天") || !strings.Contains(rules, "国办发〔2017〕47号") {
			t.Fatalf("rules page: %s", pageMessage(rules))
		}
		if _, board = a.get("/channels"); zombie.MatchString(board) {
			t.Fatal("under the unit's 30-day rule, 15 days is not a 僵尸号")
		}

		// Rename with its 报备; the opening's 报备 filed later.
		edit := url.Values{"csrf": {tok}, "kind": {"wechat_mp"}, "name": {"甲局政务"}, "responsible_id": {fmt.Sprint(f.clerkA.ID)}, "status": {"running"},
			"method": {"manual"}, "change_no": {"区网信备〔2023〕5号"}, "change_date": {"2023-07-03"}}
		if code, body, _ := a.post("/channels/"+id, edit); code != http.StatusSeeOther {
			t.Fatalf("rename: %d %s", code, pageMessage(body))
		}
		_, filings := a.get("/channels/filings")
		if !strings.Contains(filings, "甲局发布 → 甲局政务") || !strings.Contains(filings, "区网信备〔2023〕5号") || !strings.Contains(filings, "1 条未报备") {
			t.Fatalf("filings page: %s", pageMessage(filings))
		}
		ev := one(t, st, "SELECT id FROM channel_events WHERE kind = 'open' AND channel_id = $1", id)[0]
		if code, body, _ := a.post("/channels/events/"+ev+"/filing", url.Values{"csrf": {tok}, "unit": {unit}, "filing_no": {"区网信备〔2023〕1号"}, "filing_date": {"2023-06-01"}}); code != http.StatusSeeOther {
			t.Fatalf("file later: %d %s", code, pageMessage(body))
		}
		if code, _, _ := b.post("/channels/events/"+ev+"/filing", url.Values{"csrf": {b.csrf()}, "unit": {unit}, "filing_no": {"x"}, "filing_date": {"2023-06-01"}}); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("unit B filed unit A's event: %d", code)
		}
		if _, filings = a.get("/channels/filings"); strings.Contains(filings, "条未报备") {
			t.Fatal("filed event still counted as unfiled")
		}

		// Export, then import: into unit B its people are unknown (every
		// row refused, nothing imported); into unit A it imports.
		code, hdr, xlsx := a.getBytes("/channels/export.xlsx")
		if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("export: %d", code)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM audit_log WHERE action = 'channel.export'"); n != 1 {
			t.Fatalf("export not logged: %d", n)
		}
		before := count(t, st, "SELECT COUNT(*) FROM channels")
		code, body, _ = b.postMultipart("/channels/import", url.Values{"csrf": {b.csrf()}, "unit": {fmt.Sprint(f.unitB.ID)}}, map[string][2]string{"file": {"阵地.xlsx", string(xlsx)}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "第 3 行：责任人：“张专干”不是本单位人员") || count(t, st, "SELECT COUNT(*) FROM channels") != before {
			t.Fatalf("import with unknown people: %d %s", code, pageMessage(body))
		}
		code, body, _ = a.postMultipart("/channels/import", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"阵地.xlsx", string(xlsx)}})
		if code != http.StatusSeeOther || count(t, st, fmt.Sprintf("SELECT COUNT(*) FROM channels WHERE unit_id = %d", f.unitA.ID)) != 2 {
			t.Fatalf("import: %d %s", code, pageMessage(body))
		}
		code, _, _ = b.postMultipart("/channels/import", url.Values{"csrf": {b.csrf()}, "unit": {unit}}, map[string][2]string{"file": {"阵地.xlsx", string(xlsx)}})
		if code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("unit B imported into unit A: %d", code)
		}
		if code, _ := b.get("/channels?unit=" + unit); code == http.StatusOK {
			if _, body := b.get("/channels?unit=" + unit); strings.Contains(body, "甲局") {
				t.Fatal("unit B's board shows unit A's channels")
			}
		}
	})
}
