package web_test

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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
