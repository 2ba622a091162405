package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/chartimg"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// docText is the text of a Word file's body.
func docText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a docx: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(b), "")
		}
	}
	t.Fatal("no document.xml")
	return ""
}

// TestChannelsInspection is a quarter's 阵地检查 through the router: items
// expanded over the unit's channels, a failed item refused without its
// problem and then made a rectification item naming the channel, a photo
// as evidence, the inspector's signature refused while items are open,
// then inspector and responsible person in turn, results locked after, the
// Word report and the quarterly report — and the other unit shut out.
func TestChannelsInspection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		leader := org.User{OrgID: f.unitA.ID, Username: "leadera", Name: "刘局长", Grants: []access.Grant{{Role: access.DirectResp, OrgID: f.unitA.ID}}}
		if err := svcOf(st).CreateUser(context.Background(), store.System, &leader, pw); err != nil {
			t.Fatal(err)
		}
		a := e.client()
		a.mustLogin("clerka")
		tok := a.csrf()
		unit := fmt.Sprint(f.unitA.ID)
		for _, ch := range []url.Values{
			{"kind": {"board"}, "name": {"大厅宣传栏"}, "location": {"一楼"}},
			{"kind": {"wechat_group"}, "name": {"机关工作群"}},
		} {
			ch.Set("csrf", tok)
			ch.Set("unit", unit)
			ch.Set("responsible_id", fmt.Sprint(f.clerkA.ID))
			if code, body, _ := a.post("/channels", ch); code != http.StatusSeeOther {
				t.Fatalf("channel: %d %s", code, pageMessage(body))
			}
		}
		code, body, loc := a.post("/inspections", url.Values{"csrf": {tok}, "unit": {unit}, "kind": {"position"}, "period": {"2023Q3"},
			"inspector_id": {fmt.Sprint(f.clerkA.ID)}, "resp_id": {fmt.Sprint(leader.ID)}})
		if code != http.StatusSeeOther {
			t.Fatalf("create inspection: %d %s", code, pageMessage(body))
		}
		id := regexp.MustCompile(`/inspections/(\d+)`).FindStringSubmatch(loc)[1]
		if code, body, _ := a.post("/inspections", url.Values{"csrf": {tok}, "unit": {unit}, "kind": {"position"}, "period": {"2023Q3"},
			"inspector_id": {fmt.Sprint(f.clerkA.ID)}, "resp_id": {fmt.Sprint(leader.ID)}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "本期已有同类检查") {
			t.Fatalf("second inspection of the period: %d %s", code, pageMessage(body))
		}
		items := one(t, st, "SELECT COUNT(*) FROM channel_inspection_items WHERE inspection_id = $1", id)[0]
		// Position checklist: 群 rule (1 group), 宣传栏 (1 board), 阵地责任人 (unit).
		if items != "3" {
			t.Fatalf("%s items, want 3 (group rules, board, unit-wide)", items)
		}
		board := one(t, st, "SELECT it.id FROM channel_inspection_items it JOIN channels c ON c.id = it.channel_id WHERE it.inspection_id = $1 AND c.kind = 'board'", id)[0]
		if code, body, _ := a.post("/inspections/"+id+"/sign", url.Values{"csrf": {tok}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "还有 3 项未登记检查结果") {
			t.Fatalf("sign with open items: %d %s", code, pageMessage(body))
		}
		if code, body, _ := a.post("/inspections/"+id+"/items/"+board, url.Values{"csrf": {tok}, "result": {"fail"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "问题说明：不合格时须写明存在的问题") {
			t.Fatalf("fail without a note: %d %s", code, pageMessage(body))
		}
		rows, err := st.DB().Query("SELECT id FROM channel_inspection_items WHERE inspection_id = $1 ORDER BY id", id)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for rows.Next() {
			var x string
			rows.Scan(&x)
			ids = append(ids, x)
		}
		rows.Close()
		for _, it := range ids {
			v := url.Values{"csrf": {tok}, "result": {"pass"}}
			if it == board {
				v = url.Values{"csrf": {tok}, "result": {"fail"}, "note": {"内容仍为上季度"}}
			}
			if code, body, _ := a.post("/inspections/"+id+"/items/"+it, v); code != http.StatusSeeOther {
				t.Fatalf("result: %d %s", code, pageMessage(body))
			}
		}
		title := one(t, st, "SELECT r.title FROM rectifications r JOIN channel_inspection_items it ON it.rect_id = r.id WHERE it.id = $1", board)[0]
		if !strings.Contains(title, "“大厅宣传栏”") || !strings.Contains(title, "内容仍为上季度") {
			t.Fatalf("rectification item: %q", title)
		}
		rectID := one(t, st, "SELECT rect_id FROM channel_inspection_items WHERE id = $1", board)[0]
		if _, rp := a.get("/supervise/rect/" + rectID); !strings.Contains(rp, "大厅宣传栏</a>") || !strings.Contains(rp, `href="/inspections/`+id+`">检查记录`) {
			t.Errorf("the rectification item must link its channel and inspection: %s", pageMessage(rp))
		}
		code, body, _ = a.postMultipart("/inspections/"+id+"/files", url.Values{"csrf": {tok}, "item": {board}}, map[string][2]string{"files": {"宣传栏.png", pngBytes(t)}})
		if code != http.StatusSeeOther {
			t.Fatalf("photo: %d %s", code, pageMessage(body))
		}
		fid := one(t, st, "SELECT id FROM channel_inspection_files WHERE inspection_id = $1", id)[0]
		b := e.client()
		b.mustLogin("clerkb")
		for _, p := range []string{"/inspections/" + id, "/inspections/" + id + "/files/" + fid, "/inspections/" + id + "/report/docx"} {
			if code, _ := b.get(p); code != http.StatusNotFound {
				t.Errorf("unit B GET %s: %d", p, code)
			}
		}
		if code, _, _ := b.post("/inspections/"+id+"/items/"+board, url.Values{"csrf": {b.csrf()}, "result": {"pass"}}); code != http.StatusNotFound {
			t.Errorf("unit B changed a result: %d", code)
		}
		if code, _ := a.get("/inspections/" + id + "/files/" + fid); code != http.StatusOK {
			t.Fatalf("download evidence: %d", code)
		}
		if code, body, _ := a.post("/inspections/"+id+"/sign", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("inspector signs: %d %s", code, pageMessage(body))
		}
		if code, body, _ := a.post("/inspections/"+id+"/sign", url.Values{"csrf": {tok}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "须由责任人刘局长签字确认") {
			t.Fatalf("inspector signing twice: %d %s", code, pageMessage(body))
		}
		l := e.client()
		l.mustLogin("leadera")
		if code, body, _ := l.post("/inspections/"+id+"/sign", url.Values{"csrf": {l.csrf()}}); code != http.StatusSeeOther {
			t.Fatalf("responsible person signs: %d %s", code, pageMessage(body))
		}
		if code, body, _ := a.post("/inspections/"+id+"/items/"+board, url.Values{"csrf": {tok}, "result": {"pass"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "检查人已签字，结果不能再修改") {
			t.Fatalf("result after signing: %d %s", code, pageMessage(body))
		}
		code, _, doc := a.getBytes("/inspections/" + id + "/report/docx")
		if code != http.StatusOK {
			t.Fatalf("report: %d", code)
		}
		text := docText(t, doc)
		for _, want := range []string{"甲局2023年第3季度阵地检查报告", "本次共检查3项，已检查3项，其中合格2项、不合格1项、不适用0项", "“大厅宣传栏”", "内容仍为上季度", "责任人刘局长于"} {
			if !strings.Contains(text, want) {
				t.Errorf("inspection report lacks %q", want)
			}
		}
		code, _, q := a.getBytes("/channels/report.docx?period=2023Q3")
		if code != http.StatusOK {
			t.Fatalf("quarter report: %d", code)
		}
		qt := docText(t, q)
		if _, err := chartimg.Open(""); err == nil && !bytes.Contains(q, []byte("word/media/image1.png")) {
			t.Error("the quarterly report has no chart though a CJK font is installed")
		}
		for _, want := range []string{"甲局2023年第3季度意识形态阵地管理情况报告", "本单位登记阵地2个", "近12个月（2022年10月至2023年9月）", "本季度开展阵地检查（3项，不合格1项，已签字确认）"} {
			if !strings.Contains(qt, want) {
				t.Errorf("quarterly report lacks %q:\n%s", want, qt)
			}
		}
		if code, _, x := a.getBytes("/channels/report.xlsx?period=2023Q3"); code != http.StatusOK || len(x) < 1000 {
			t.Fatalf("quarter xlsx: %d", code)
		}
		// The half-year report's 阵地 part cites the figures when there are any.
		_, rep := a.get("/reports/new?kind=half-year&period=2023H2&unit=" + unit)
		if !strings.Contains(rep, "等阵地") || !strings.Contains(rep, "开展网络安全排查和阵地检查") || !strings.Contains(rep, "详见各季度阵地管理情况报告") {
			t.Errorf("half-year report without its 阵地 part: %s", pageMessage(rep))
		}
		if _, rep := a.get("/reports/new?kind=half-year&period=2023H1&unit=" + unit); strings.Contains(rep, "详见各季度阵地管理情况报告") {
			t.Error("a half-year with no channels yet must not cite 阵地 figures")
		}
		if n := count(t, st, "SELECT COUNT(*) FROM audit_log WHERE action = 'channel.report.export'"); n != 3 {
			t.Errorf("%d report downloads logged, want 3", n)
		}
	})
}
