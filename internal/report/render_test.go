package report_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/chartimg"
	"zhendi/internal/demo"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

var pdfOut = flag.String("pdfout", "", "keep the rendered report PDF here to look at it")

// TestReportRendersInLibreOffice converts the demo bureau's 2023H1 DOCX
// to PDF and reads it back: A4 pages, "— N —" page numbers, the title and
// the figures as typeset text.
func TestReportRendersInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("rendering with LibreOffice takes seconds")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	st := storetest.SQLite(t)
	r, _ := demoReport(t, st, "zhuangan", report.HalfYear, "2023H1")
	// With the charts when the machine has a CJK font (.ci/run installs
	// fonts-noto-cjk): 图1 and 图2 are pictures above their tables.
	charts, _ := chartimg.Open("")
	d, err := r.DocCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "report.pdf")
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "(A4)") {
		t.Errorf("not A4: %s", info)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	pages, _ := strconv.Atoi(string(m[1]))
	if pages < 4 || pages > 10 {
		t.Errorf("%d pages; the seed-sized report fills about six, and two charts with their tables about two more", pages)
	}
	if charts != nil {
		list, err := exec.Command("pdfimages", "-list", pdf).Output()
		if err != nil {
			t.Fatal(err)
		}
		// A header line and a rule, then one line per picture (a PNG
		// with an alpha channel would add an smask line).
		if n := len(strings.Split(strings.TrimSpace(string(list)), "\n")) - 2; n != 2 {
			t.Errorf("%d pictures in the PDF, want 2:\n%s", n, list)
		}
		if *pdfOut != "" {
			b, _ := os.ReadFile(pdf)
			_ = os.WriteFile(*pdfOut, b, 0o644)
		}
	}
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), "")
	for _, want := range []string{
		"示范区农业农村局党组2023年上半年意识形态工作总结",
		"党组集中学习" + strconv.Itoa(demo.ExpectedH1()[ledger.CentralGroup]) + "次",
		"—" + strconv.Itoa(pages) + "—",
		"各月开展活动情况（按类别）", "必修课学习情况",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
