package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// Importing a bureau's history (issue 13 A), through the real router on
// both databases.

// historySheet is the demo bureau's 2022 second-half ledger as its office
// kept it in WPS: a title merged across, a two-row header with 参会情况
// merged over 参加人员 and 缺席人员及原因, speakers written with their titles,
// an outside lecturer, one 分析研判 (whose document a sheet cannot carry), an
// 原登记日期 column and a note under the data. 57 rows in all.
func historySheet(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(sh, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "示范区农业农村局2022年下半年意识形态工作台账")
	merge("A1", "I1")
	for i, h := range []string{"序号", "日期", "类型", "主题", "主讲/主持", "对象", "参会情况", "", "原登记日期"} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		set(col+"2", h)
		if h != "参会情况" && h != "" {
			merge(col+"2", col+"3")
		}
	}
	merge("G2", "H2")
	set("G3", "参加人员")
	set("H3", "缺席人员及原因")
	row := 4
	add := func(cells ...any) {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", row), &cells); err != nil {
			t.Fatal(err)
		}
		row++
	}
	n := 0
	day := func() string { n++; return fmt.Sprintf("2022-%02d-%02d", 7+n%6, 1+n%27) }
	// Example A2: leaders written with their titles lecture 党课.
	add(1, "2022-07-01", "党课", "七一专题党课", "王建国（党组书记、局长）", "干部职工", "李晓雯、马骏", "", "2022年7月3日")
	add(2, day(), "党课", "学习二十大精神党课", "刘志强(副局长)", "干部职工", "李晓雯", "", "")
	add(3, day(), "党课", "廉政党课", "副局长 陈海燕", "干部职工", "", "", "")
	add(4, day(), "党课", "乡村振兴党课", "市委党校李教授", "干部职工", "", "", "")
	add(5, day(), "分析研判", "2022年下半年意识形态形势分析研判", "刘志强", "", "", "", "")
	add(6, day(), "宣讲", "政策进村宣讲", "陈海燕", "服务对象", "", "", "")
	for i := 7; i <= 57; i++ {
		add(i, day(), "中心组学习", fmt.Sprintf("理论学习中心组第%d次集中学习", i), "王建国", "", "刘志强（发言）、陈海燕", "孙丽萍(出差)", "")
	}
	add("注：本表由办公室汇总，2023年起在系统中登记。")
	merge(fmt.Sprintf("A%d", row-1), fmt.Sprintf("I%d", row-1))
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportHistoryPreviewAndLateFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st) // 2023-07-05
		info := loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		ctx := context.Background()
		_, clerkScope := storetest.Login(t, st, "zhuangan")
		count2022 := func() int {
			n, err := st.CountActivities(ctx, clerkScope, ledger.Filter{From: "2022-01-01", To: "2022-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Example A7: the preview says what will happen and writes nothing.
		code, body := c.previewFile(historySheet(t))
		if code != http.StatusOK {
			t.Fatalf("preview: %d %.3000s", code, body)
		}
		pv := regexp.MustCompile(`(?s)<section class="card" id="import-preview">.*?</section>`).FindString(body)
		for _, want := range []string{
			"表头在第 2–3 行，共 57 行数据",
			"确认后将新增 <strong>57</strong> 条，其中 57 条为系统启用前导入的历史记录",
			`<td>党组（理论学习中心组）集中学习</td><td class="num">51</td>`,
			`<td>党课</td><td class="num">4</td>`,
			`<td>意识形态分析研判报告</td><td class="num">1</td>`,
			"“王建国（党组书记、局长）”按本单位人员王建国（示范区农业农村局）登记（第 4 行）",
			"“刘志强(副局长)”按本单位人员刘志强（示范区农业农村局）登记（第 5 行）",
			"“副局长 陈海燕”按本单位人员陈海燕（示范区农业农村局）登记（第 6 行）",
			"以下姓名不在本单位人员名单中，将作为外请人员登记，不计入本单位人员的统计（如党组成员上党课）：市委党校李教授（第 7 行）",
			"1 条意识形态分析研判报告没有报告文档",
			"57 条的活动日期早于本单位在系统中登记第一条台账的日期",
			"将作为“系统启用前导入”的历史记录，单独列出，不计入补记",
			"第 61 行是说明或合计文字，已跳过",
		} {
			if !strings.Contains(pv, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if t.Failed() {
			t.Fatalf("preview: %.6000s", pv)
		}
		if n := count2022(); n != 0 {
			t.Fatalf("the preview imported %d entries", n)
		}
		confirm := confirmRE.FindString(body)
		code, body, _ = c.post(confirm, url.Values{"csrf": {c.csrf()}})
		if code != 200 || !strings.Contains(body, "导入完成：新增 57 条（其中系统启用前导入的历史记录 57 条，不计入补记）") {
			t.Fatalf("confirm: %d %.2000s", code, body)
		}
		if n := count2022(); n != 57 {
			t.Fatalf("after import %d entries", n)
		}
		// A second click imports nothing.
		code, body, _ = c.post(confirm, url.Values{"csrf": {c.csrf()}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "这份文件已经导入，不会重复导入。") || count2022() != 57 {
			t.Fatalf("second confirm: %d %d %.1500s", code, count2022(), body)
		}

		// Example A1: no 补记, the history stated on the 补记情况 page.
		_, body = c.get("/supervise/late?period=2022H2")
		if !strings.Contains(body, "系统启用前导入 57 条，按原表导入，不计入补记") || !strings.Contains(body, "本期没有补记的记录。") ||
			!strings.Contains(body, "系统中登记 0 条") {
			t.Errorf("补记情况: %.4000s", body)
		}
		// The report's figures: 57 records, 57 imported, 0 late (it said
		// "57条…占100%" when the import time was the recording time).
		period2022H2, _ := ledger.ParsePeriod("2022H2")
		req := report.Request{Kind: report.HalfYear, UnitID: info.UnitID, Period: period2022H2, LateDays: 7}
		rep, err := svcOf(st).BuildReport(ctx, clerkScope, req)
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]int{"total": 57, "imported": 57, "late": 0, "late_share": 0, "after_end": 0,
			// Example A2: the titled leaders' lectures count; the outside one does not.
			"leader_lecture": 3,
			// Example A6: the 分析研判 without its document does not count.
			"analysis_report": 0} {
			if f := rep.Figure(key); f == nil || f.Value != want {
				t.Errorf("figure %s = %+v, want %d", key, f, want)
			}
		}

		// The imported entries show where they came from.
		acts, _, err := st.ListActivities(ctx, clerkScope, ledger.Filter{From: "2022-07-01", To: "2022-12-31", Types: []string{ledger.PartyLecture}})
		if err != nil {
			t.Fatal(err)
		}
		var first ledger.Activity
		for _, a := range acts {
			if a.Title == "七一专题党课" {
				first = a
			}
		}
		_, body = c.get(fmt.Sprintf("/ledger/%d", first.ID))
		if !strings.Contains(body, "系统启用前导入（台账导入.xlsx第4行），原表登记于2022年7月3日。") || strings.Contains(body, "补记：") {
			t.Errorf("entry page: %.3000s", body)
		}

		// Example A6 on every path: 缺报告文档 on the list and the page
		// until a document is uploaded, then counted.
		reports, _, _ := st.ListActivities(ctx, clerkScope, ledger.Filter{From: "2022-07-01", To: "2022-12-31", Types: []string{ledger.AnalysisReport}})
		if len(reports) != 1 || !reports[0].MissingReport {
			t.Fatalf("reports = %+v", reports)
		}
		id := reports[0].ID
		_, list := c.get("/ledger?type=analysis_report&from=2022-07-01&to=2022-12-31")
		_, page := c.get(fmt.Sprintf("/ledger/%d", id))
		if !strings.Contains(list, "缺报告文档") || !strings.Contains(page, "缺报告文档：尚未上传研判报告文档，上传前不计入“上报分析研判报告”。") {
			t.Errorf("缺报告文档 not shown: list %v page %v", strings.Contains(list, "缺报告文档"), strings.Contains(page, "缺报告文档"))
		}
		code, _, _ = c.postMultipart(fmt.Sprintf("/ledger/%d/files", id), url.Values{"csrf": {c.csrf()}}, map[string][2]string{"report": {"研判报告.txt", "形势总体稳定。"}})
		if code != http.StatusSeeOther && code != http.StatusOK {
			t.Fatalf("upload report: %d", code)
		}
		rep, _ = svcOf(st).BuildReport(ctx, clerkScope, req)
		if f := rep.Figure("analysis_report"); f == nil || f.Value != 1 {
			t.Errorf("after upload 上报分析研判报告 = %+v, want 1", f)
		}
		_, page = c.get(fmt.Sprintf("/ledger/%d", id))
		if strings.Contains(page, "缺报告文档") {
			t.Error("still 缺报告文档 after the upload")
		}
		// Removing the document (another path to an entry without one)
		// takes the entry out of the figure again.
		fileLink := regexp.MustCompile(fmt.Sprintf(`/ledger/%d/files/(\d+)`, id)).FindStringSubmatch(page)
		if fileLink == nil {
			t.Fatalf("no file link on the page")
		}
		code, _, _ = c.post(fileLink[0]+"/delete", url.Values{"csrf": {c.csrf()}})
		_, page = c.get(fmt.Sprintf("/ledger/%d", id))
		rep, _ = svcOf(st).BuildReport(ctx, clerkScope, req)
		if f := rep.Figure("analysis_report"); code >= 400 || f == nil || f.Value != 0 || !strings.Contains(page, "缺报告文档") {
			t.Errorf("after removing the document: %d, figure %+v, page shows 缺报告文档 %v", code, f, strings.Contains(page, "缺报告文档"))
		}
		if _, err := st.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestImportConfirmOtherUnit: a batch of one unit cannot be confirmed by
// another unit's clerk (404), and nothing is imported.
func TestImportConfirmOtherUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedDistrict(t, st)
		a, b := e.client(), e.client()
		a.mustLogin("clerka")
		b.mustLogin("clerkb")
		sheet := func() []byte {
			x := excelize.NewFile()
			defer x.Close()
			x.SetSheetRow("Sheet1", "A1", &[]any{"日期", "类型", "主题", "作者"})
			x.SetSheetRow("Sheet1", "A2", &[]any{"2023-06-01", "心得", "学习心得", "张专干"})
			var buf bytes.Buffer
			x.WriteTo(&buf)
			return buf.Bytes()
		}()
		code, body := a.previewFile(sheet)
		confirm := confirmRE.FindString(body)
		if code != 200 || confirm == "" {
			t.Fatalf("preview: %d %.2000s", code, body)
		}
		code, _, _ = b.post(confirm, url.Values{"csrf": {b.csrf()}})
		if code != http.StatusNotFound {
			t.Errorf("other unit's confirm: %d, want 404", code)
		}
		if n, _ := st.CountActivities(context.Background(), f.scA, ledger.Filter{}); n != 0 {
			t.Errorf("other unit's confirm imported %d entries", n)
		}
		code, _, _ = a.post(confirm, url.Values{"csrf": {a.csrf()}})
		if n, _ := st.CountActivities(context.Background(), f.scA, ledger.Filter{}); code != 200 || n != 1 {
			t.Errorf("own confirm: %d, %d entries", code, n)
		}
		// Without the CSRF token nothing happens.
		code, _, _ = a.post(confirm, url.Values{})
		if code != http.StatusForbidden && code != http.StatusBadRequest {
			t.Errorf("confirm without token: %d", code)
		}
	})
}

// TestImportBombAnswersInChinese: an expanding upload gets the limit's
// message beside the form (422), not an error page.
func TestImportBombAnswersInChinese(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		seedDistrict(t, st)
		c := e.client()
		c.mustLogin("clerka")
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("xl/worksheets/sheet1.xml")
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for range 100 {
			w.Write(chunk)
		}
		zw.Close()
		code, body := c.previewFile(buf.Bytes())
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "文件解压后约 100 MB，超过台账导入允许的 48 MB") {
			t.Errorf("bomb: %d %.2000s", code, body)
		}
	})
}

// TestBrowserImportPreview: the clerk uploads a bureau's WPS sheet in
// Chromium, reads the preview (counts per type, matched people, warnings)
// and confirms.
func TestBrowserImportPreview(t *testing.T) {
	ctx := browser(t)
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	path := filepath.Join(t.TempDir(), "2022年下半年台账.xlsx")
	if err := os.WriteFile(path, historySheet(t), 0o644); err != nil {
		t.Fatal(err)
	}
	base := e.srv.URL
	do(ctx, t,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "zhuangan"),
		chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		chromedp.WaitVisible(`.figures`),
		chromedp.Navigate(base+"/ledger/import"),
		chromedp.WaitVisible(`input[name=file]`),
		chromedp.SetUploadFiles(`input[name=file]`, []string{path}),
		chromedp.Submit(`input[name=file]`),
		chromedp.WaitVisible(`#import-preview`),
	)
	pv := text(ctx, t, `#import-preview`)
	for _, want := range []string{"导入预览：2022年下半年台账.xlsx", "确认后将新增 57 条", "按本单位人员刘志强（示范区农业农村局）登记", "市委党校李教授（第 7 行）", "缺报告文档"} {
		if !strings.Contains(pv, want) {
			t.Errorf("preview lacks %q: %.2000s", want, pv)
		}
	}
	shot(ctx, t, "import-preview")
	do(ctx, t,
		chromedp.Click(`#import-preview button`),
		chromedp.WaitVisible(`#import-done`),
	)
	if done := text(ctx, t, `#import-done`); !strings.Contains(done, "导入完成：新增 57 条（其中系统启用前导入的历史记录 57 条，不计入补记）") {
		t.Errorf("after confirm: %q", done)
	}
	shot(ctx, t, "import-done")
}
