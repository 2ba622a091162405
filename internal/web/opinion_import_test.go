package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

var opConfirmRE = regexp.MustCompile(`/opinion/import/(\d+)/confirm`)

// TestOpinionImportPage: a GBK CSV from WPS with bad rows is refused whole
// with each row's error naming the row and the field; the corrected file
// is previewed (rows, dates, imported before, scheme hits) and stored on
// confirmation in one go, audited; a second confirmation and another
// unit's user import nothing.
func TestOpinionImportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		a := e.client()
		a.mustLogin("clerka")
		tok := a.csrf()
		unit := fmt.Sprint(f.unitA.ID)
		code, body, _ := a.post("/opinion/schemes", url.Values{"csrf": {tok}, "unit": {unit}, "name": {"化工安全"}, "rule": {"化工园区 & (起火 | 泄漏)"},
			"scope": {"all"}, "enabled": {"1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("scheme: %d %s", code, pageMessage(body))
		}
		gbk := func(s string) string {
			b, _, err := transform.Bytes(simplifiedchinese.GBK.NewEncoder(), []byte(s))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		items := func() int {
			return count(t, st, fmt.Sprintf("SELECT count(*) FROM opinion_items WHERE unit_id = %d", f.unitA.ID))
		}
		code, body = a.get("/opinion/import?unit=" + unit)
		if code != http.StatusOK || !strings.Contains(body, "上传并预览") || !strings.Contains(body, `href="/opinion/import"`) {
			t.Fatalf("import page: %d %s", code, pageMessage(body))
		}

		bad := "编号,标题,正文,链接,发布时间,作者\r\n" +
			"1,化工园区起火,现场浓烟，消防已到场,https://news.example.cn/1,2023/7/1 8:30,某人\r\n" +
			"2,,,,2023-07-01,\r\n" +
			"3,化工园区泄漏传闻,经核实不实,,明天,\r\n"
		code, body, _ = a.postMultipart("/opinion/import", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"导出.csv", gbk(bad)}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "未导入任何信息") ||
			!regexp.MustCompile(`第 3 行</td><td>正文：标题和正文不能都为空`).MatchString(body) ||
			!strings.Contains(body, "第 4 行</td><td>发布时间：“明天”不是可识别的日期时间") {
			t.Fatalf("bad file: %d %s", code, body)
		}
		if items() != 0 || count(t, st, "SELECT count(*) FROM import_batches") != 0 {
			t.Fatal("a file with bad rows stored something")
		}

		good := "编号,标题,正文,链接,发布时间,作者\r\n" +
			"1,化工园区起火,现场浓烟，消防已到场,https://news.example.cn/1,2023/7/1 8:30,某人\r\n" +
			"2,区图书馆读书月,市民踊跃参加，好评如潮,,2023-07-02,\r\n" +
			"3,化工园区泄漏传闻,网传化工园区发生泄漏，经核实不实,,2023-07-03 09:00,\r\n"
		code, body, _ = a.postMultipart("/opinion/import", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"导出.csv", gbk(good)}})
		m := opConfirmRE.FindStringSubmatch(body)
		if code != http.StatusOK || m == nil {
			t.Fatalf("preview: %d %s", code, pageMessage(body))
		}
		for _, want := range []string{"导入预览：导出.csv", `<th>信息条数</th><td class="num">3</td>`, `<th>以前已导入（将跳过）</th><td class="num">0</td>`,
			"2023年7月1日 至 2023年7月3日", "<td>化工安全</td><td class=\"num\">2</td>", "最多新增 3 条"} {
			if !strings.Contains(body, want) {
				t.Fatalf("preview lacks %q: %s", want, body)
			}
		}
		if items() != 0 {
			t.Fatal("the preview stored items")
		}
		batch := m[1]
		// Another unit's 专干 cannot confirm it, for either unit.
		b := e.client()
		b.mustLogin("clerkb")
		btok := b.csrf()
		for _, u := range []string{unit, fmt.Sprint(f.unitB.ID)} {
			code, _, _ = b.post("/opinion/import/"+batch+"/confirm", url.Values{"csrf": {btok}, "unit": {u}})
			if code != http.StatusForbidden && code != http.StatusNotFound && code != http.StatusUnprocessableEntity {
				t.Fatalf("unit B confirming unit A's import as unit %s: %d", u, code)
			}
		}
		if items() != 0 {
			t.Fatal("another unit's user imported the file")
		}
		// Without the CSRF token: refused.
		if code, _, _ = a.post("/opinion/import/"+batch+"/confirm", url.Values{"unit": {unit}}); code != http.StatusForbidden {
			t.Fatalf("confirm without CSRF: %d", code)
		}
		code, body, _ = a.post("/opinion/import/"+batch+"/confirm", url.Values{"csrf": {tok}, "unit": {unit}})
		if code != http.StatusOK || !strings.Contains(body, "导入完成：读取 3 条，新增 3 条") {
			t.Fatalf("confirm: %d %s", code, pageMessage(body))
		}
		if items() != 3 || count(t, st, fmt.Sprintf("SELECT count(*) FROM opinion_hits h JOIN opinion_items i ON i.id = h.item_id WHERE i.unit_id = %d", f.unitA.ID)) != 2 {
			t.Fatalf("stored %d items", items())
		}
		if count(t, st, "SELECT count(*) FROM import_batches WHERE kind = 'opinion' AND status = 'done' AND created = 3") != 1 ||
			count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'opinion.import' AND object_id = "+batch) != 1 ||
			count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'opinion.import_preview'") != 1 {
			t.Fatal("the import is not closed and audited")
		}
		// No author is kept: the 作者 column is not read.
		if count(t, st, "SELECT count(*) FROM opinion_items WHERE body LIKE '%某人%' OR title LIKE '%某人%'") != 0 {
			t.Fatal("the author column was stored")
		}
		// A second confirmation imports nothing.
		code, body, _ = a.post("/opinion/import/"+batch+"/confirm", url.Values{"csrf": {tok}, "unit": {unit}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "这份文件已经导入") || items() != 3 {
			t.Fatalf("second confirmation: %d %s", code, pageMessage(body))
		}
		// The same file again: the preview says all were imported before.
		code, body, _ = a.postMultipart("/opinion/import", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"导出.csv", gbk(good)}})
		if code != http.StatusOK || !strings.Contains(body, `<th>以前已导入（将跳过）</th><td class="num">3</td>`) {
			t.Fatalf("preview again: %d %s", code, pageMessage(body))
		}
		// A 党员 of the unit (no write scope) gets no import page.
		mm := e.client()
		mm.mustLogin("membera")
		if code, _ := mm.get("/opinion/import?unit=" + unit); code != http.StatusForbidden {
			t.Fatalf("member: %d", code)
		}
	})
}
