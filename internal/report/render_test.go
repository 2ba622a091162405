package report_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/demo"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

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
	var buf bytes.Buffer
	if err := r.WriteDocx(&buf); err != nil {
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
	if pages < 4 || pages > 8 {
		t.Errorf("%d pages; the seed-sized report fills about six", pages)
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
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
