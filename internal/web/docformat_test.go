package web_test

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// docxText is the text of a .docx body, one line per paragraph.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a docx: %v", err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		s := strings.ReplaceAll(string(b), "</w:p>", "\n")
		s = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(s, "")
		return html.UnescapeString(s)
	}
	t.Fatal("no word/document.xml")
	return ""
}

var (
	hrefRE      = regexp.MustCompile(`href="(/info/bulletin\.(?:docx|xlsx)\?[^"]*)"`)
	summaryRE   = regexp.MustCompile(`<p>(\d{4}年\d{1,2}月，[^<]+)</p>`)
	totalRowRE  = regexp.MustCompile(`<tr class="total"><td></td><td>合计</td>((?:<td class="num">\d+</td>)+)`)
	numCellRE   = regexp.MustCompile(`<td class="num">(\d+)</td>`)
	bulletinMon = "2023-06"
)

// TestBulletinDownloadsFollowThePage (issue 14 C1): on the page of a chosen
// month, the Word and Excel links carry that month, and the files hold the
// figures the page shows — for a unit and for the district roll-up. The
// links used to escape their query into one value, so the server fell back
// to its default month and handed out a document of zeros.
func TestBulletinDownloadsFollowThePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		for _, v := range []struct{ user, page string }{
			{"zhuangan", "/info/bulletin?month=" + bulletinMon},
			{"ducha", "/info/bulletin?month=" + bulletinMon + "&unit=all"},
		} {
			c := e.client()
			c.demoLogin(v.user)
			code, page := c.get(v.page)
			if code != 200 {
				t.Fatalf("%s: %d", v.page, code)
			}
			sum := summaryRE.FindStringSubmatch(page)
			tot := totalRowRE.FindStringSubmatch(page)
			if sum == nil || tot == nil {
				t.Fatalf("%s: no summary or total row: %.1500s", v.page, page)
			}
			summary := html.UnescapeString(sum[1])
			if !strings.HasPrefix(summary, "2023年6月") || strings.Contains(summary, "共报送信息 0 条") {
				t.Fatalf("%s: summary %q is not the June figures", v.page, summary)
			}
			var totals []string
			for _, m := range numCellRE.FindAllStringSubmatch(tot[1], -1) {
				totals = append(totals, m[1])
			}
			links := hrefRE.FindAllStringSubmatch(page, -1)
			if len(links) != 2 {
				t.Fatalf("%s: %d download links", v.page, len(links))
			}
			for _, l := range links {
				link := html.UnescapeString(l[1])
				if !strings.Contains(link, "month="+bulletinMon) {
					t.Errorf("%s: link %s does not carry the month", v.page, link)
				}
				code, data := c.get(link)
				if code != 200 {
					t.Fatalf("%s: %d", link, code)
				}
				if strings.Contains(link, ".docx") {
					text := docxText(t, []byte(data))
					if !strings.Contains(text, summary) {
						t.Errorf("%s: the Word file does not say what the page says: %q\n%s", link, summary, text)
					}
					continue
				}
				f, err := excelize.OpenReader(strings.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				rows, _ := f.GetRows(f.GetSheetList()[0])
				if len(rows) == 0 || !strings.Contains(rows[0][0], "2023年6月") {
					t.Errorf("%s: workbook title %v", link, rows)
				}
				found := false
				for _, r := range rows {
					if len(r) > 1 && r[1] == "合计" {
						found = true
						if got := strings.Join(r[2:2+len(totals)], ","); got != strings.Join(totals, ",") {
							t.Errorf("%s: workbook totals %s, page %s", link, got, strings.Join(totals, ","))
						}
					}
				}
				if !found {
					t.Errorf("%s: no 合计 row", link)
				}
			}
		}
	})
}

// TestDocSettingsFinishDocuments (issues 14 B1 and 23): the clerk sets the
// issuing body, 主送机关, 抄送 and 印发机关 of the unit; the half-year
// summary ends with the 落款, the unit 通报 carries 主送机关, 落款 and 版记,
// the 月通报 主送机关 and 落款, dated today (2023年7月5日 in the tests).
// Another unit's clerk can neither see nor change them, a field too long
// is refused beside the form, and every generated document passes the
// punctuation check.
func TestDocSettingsFinishDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		info := loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		if code, page := c.get("/reports/settings"); code != 200 || !strings.Contains(page, "中共示范区农业农村局党组") {
			t.Fatalf("settings page: %d %.500s", code, page)
		}
		form := url.Values{"csrf": {c.csrf()}, "issuer": {"中共示范区农业农村局党组"}, "recipient": {"中共示范区委宣传部"},
			"cc": {"区委办公室、区纪委监委派驻纪检监察组"}, "printer": {"示范区农业农村局办公室"}}
		long := url.Values{}
		for k, v := range form {
			long[k] = v
		}
		long.Set("printer", strings.Repeat("长", 61))
		if code, body, _ := c.post("/reports/settings", long); code != http.StatusUnprocessableEntity || !strings.Contains(body, "印发机关：不能超过 60 个字") {
			t.Fatalf("too long: %d %.300s", code, body)
		}
		if code, _, _ := c.post("/reports/settings", form); code != http.StatusSeeOther {
			t.Fatalf("save: %d", code)
		}
		// Another unit's clerk: no page, no change.
		other := seedTwoUnits(t, st)
		o := e.client()
		o.mustLogin(other.clerkB.Username)
		unit := strconv.FormatInt(info.UnitID, 10)
		// A unit id outside the scope is refused by the scope check on
		// every parameter that names a unit (scopeparams.go).
		if code, page := o.get("/reports/settings?unit=" + unit); code != http.StatusNotFound || strings.Contains(page, "示范区农业农村局") || strings.Contains(page, "中共示范区委宣传部") {
			t.Errorf("other unit's settings page: %d", code)
		}
		probe := url.Values{"csrf": {o.csrf()}, "unit": {unit}, "issuer": {"篡改"}}
		o.post("/reports/settings", probe)
		if _, page := c.get("/reports/settings"); strings.Contains(page, "篡改") {
			t.Error("another unit changed the settings")
		}

		docs := map[string]string{
			"half-year": "/reports/fresh/docx?kind=half-year&period=2023H1",
			"monthly":   "/info/bulletin.docx?month=2023-06",
			"circular":  "/supervise/circular.docx?unit=" + unit + "&year=2023",
			"analysis":  "/reports/fresh/docx?kind=analysis&period=2023H1",
			"annual":    "/reports/fresh/docx?kind=annual&period=2023",
		}
		for name, link := range docs {
			code, data := c.get(link)
			if code != 200 {
				t.Fatalf("%s: %d %.300s", link, code, data)
			}
			text := docxText(t, []byte(data))
			lines := strings.Split(strings.TrimSpace(text), "\n")
			if !strings.Contains(text, "\n中共示范区农业农村局党组\n2023年7月5日\n") {
				t.Errorf("%s: no 落款 (issuer, then the date): %q", name, lines[max(0, len(lines)-6):])
			}
			wantRecipient := name != "half-year" && name != "annual"
			if got := strings.Contains(text, "\n中共示范区委宣传部：\n"); got != wantRecipient {
				t.Errorf("%s: 主送机关 present %v, want %v", name, got, wantRecipient)
			}
			wantColophon := name == "circular"
			if got := strings.Contains(text, "抄送：区委办公室，区纪委监委派驻纪检监察组。\n示范区农业农村局办公室2023年7月5日印发"); got != wantColophon {
				t.Errorf("%s: 版记 present %v, want %v: %q", name, got, wantColophon, lines[max(0, len(lines)-4):])
			}
			for _, f := range halfWidthFindings(text) {
				t.Errorf("%s: half-width punctuation %s", name, f)
			}
		}
	})
}

// TestDemoPagesOpenOnItsYear (issue 14 D): the demo's records are of
// 2023; opened in December 2026, every page starts on the latest period
// with data, as the home page does — 督导, 通报, 学习计划, 报告 and 月通报 —
// instead of an empty 2026.
func TestDemoPagesOpenOnItsYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		e.now = time.Date(2026, 12, 7, 10, 0, 0, 0, cntime.Zone)
		c := e.client()
		c.demoLogin("zhuangan")
		for _, p := range []struct{ path, want, not string }{
			{"/", "2023年上半年", ""},
			{"/supervise", "2023年意识形态工作责任制落实情况", "2026年意识形态"},
			{"/supervise/circular?unit=0", "2023年度", "2026年度"},
			{"/plan", "<h1>2023年度学习计划", ""},
			// The 形式 column prints the short name of the type.
			{"/plan", `<td class="nowrap">中心组学习</td>`, "党组（理论学习中心组）集中学习</td>"},
			{"/reports", `<option value="2023H1" selected>`, ""},
			{"/supervise/late", `<option value="2023H1" selected>`, ""},
			{"/info/bulletin", "<small>2023年6月</small>", ""},
		} {
			code, page := c.get(p.path)
			if code != 200 || !strings.Contains(page, p.want) || (p.not != "" && strings.Contains(page, p.not)) {
				i := strings.Index(page, "<main")
				t.Errorf("%s: %d, want %q and not %q: %.1200s", p.path, code, p.want, p.not, page[max(i, 0):])
			}
		}
	})
}
