package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
)

// probeOversizeUpload: with a 1 MB limit, a 20 MB file (over every
// limit: attachments 1 MB, lexicon 4 MB, Excel import 10 MB, and over the
// 16 MB the form reader keeps of any file, so it is cut) posted to
// every upload route is answered 422 “文件……超过 N MB” beside the form —
// not “CSRF 校验失败”, which is what reading the token after a cut-off
// body used to say — and the ledger form comes back with what was typed.
func probeOversizeUpload(t *testing.T, p *probe) {
	st := p.st
	sec := access.DefaultSecurity
	sec.MaxUploadMB = 1
	if err := st.SetSecuritySettings(context.Background(), store.System, sec); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := st.SetSecuritySettings(context.Background(), store.System, access.DefaultSecurity); err != nil {
			t.Fatal(err)
		}
	}()
	big := strings.Repeat("%PDF-1.4 ", (20<<20)/9)
	// Case evidence: only the unit's 第一责任人 may upload (the clerk gets
	// 404 whatever the size); logged in before the count of changes.
	first := p.e.client()
	first.demoLogin("wangjianguo")
	before := p.changes(t)
	views := count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assess.case.view'")
	n := 0
	for _, rt := range routesOf(t, st) {
		method, path, _, ok := p.path(rt.Pattern)
		upload := strings.HasSuffix(path, "/files") || strings.HasSuffix(path, "/img") || strings.HasSuffix(path, "/import") ||
			rt.Pattern == "POST /ledger"
		if method != http.MethodPost || !upload || !ok {
			continue
		}
		n++
		form := url.Values{"csrf": {p.victim.csrf()}, "type": {ledger.CentralGroup}, "title": {"附带超大文件的台账"}, "date": {"2023-06-20"}, "late_reason": {"纸质记录补录"}}
		field := "files"
		switch {
		case strings.HasSuffix(path, "/img"):
			field = "image"
		case strings.HasSuffix(path, "/import"):
			field = "file"
		}
		c := p.victim
		if strings.HasPrefix(path, "/assess/cases/") {
			c = first
			form.Set("csrf", c.csrf())
		}
		code, body, _ := c.postMultipart(path, form, map[string][2]string{field: {"超大文件.pdf", big}})
		msg := pageMessage(body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "超过") || !strings.Contains(body, " MB") || strings.Contains(body, "CSRF") {
			t.Errorf("POST %s with a 20 MB file: %d %s", path, code, msg)
		}
		if rt.Pattern == "POST /ledger" && !strings.Contains(body, `value="附带超大文件的台账"`) {
			t.Errorf("POST %s: the form came back without what was typed", path)
		}
	}
	if n < 5 {
		t.Fatalf("only %d upload routes found", n)
	}
	after := p.changes(t)
	// Refusing case evidence shows the case page again with the message,
	// and every showing of a case is audited as a view (assess.case.view):
	// that entry is a read, not a change.
	after["audit_log"] -= count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assess.case.view'") - views
	sameChanges(t, "over-size uploads", before, after)
	// A URL-encoded body over 10 MB is refused as such.
	code, body, _ := p.victim.post("/plan", url.Values{"csrf": {p.victim.csrf()}, "topic": {strings.Repeat("长", 4<<20)}})
	if code != http.StatusBadRequest || !strings.Contains(body, "表单过大") {
		t.Errorf("12 MB form: %d %s", code, pageMessage(body))
	}
}

// probeUploadFileNames: directory parts, control characters and the
// right-to-left override are taken out of a file name before its type is
// judged, and a long name is shortened keeping its extension; the stored
// name is what the download offers.
func probeUploadFileNames(t *testing.T, p *probe) {
	st := p.st
	path := "/ledger/" + p.ids["/ledger/{id}"][0] + "/files"
	long := strings.Repeat("关于印发意识形态工作责任制实施细则的通知", 15) + ".pdf"
	for _, c := range []struct{ sent, stored string }{
		{"../../../etc/passwd.pdf", "passwd.pdf"},
		{`..\..\windows\win.ini.pdf`, "win.ini.pdf"},
		{"探针\u200b\u2066纪要\u200f.pdf", "探针纪要.pdf"},
		{"探针\t会议.pdf", "探针 会议.pdf"},
		{"..", "附件"},
	} {
		code, body, _ := p.victim.postMultipart(path, url.Values{"csrf": {p.victim.csrf()}}, map[string][2]string{"files": {c.sent, testPDF}})
		if c.sent == ".." {
			// No extension left: refused by type, nothing stored.
			if code != http.StatusUnprocessableEntity {
				t.Errorf("%q: %d", c.sent, code)
			}
			continue
		}
		if code != http.StatusSeeOther {
			t.Errorf("%q: %d %s", c.sent, code, pageMessage(body))
			continue
		}
		if n := count(t, st, "SELECT count(*) FROM attachments WHERE name = '"+c.stored+"'"); n != 1 {
			t.Errorf("%q stored under %q %d times", c.sent, c.stored, n)
		}
	}
	// A control character in the part header is refused as a malformed
	// form; nothing is stored under such a name.
	code, _, _ := p.victim.postMultipart(path, url.Values{"csrf": {p.victim.csrf()}}, map[string][2]string{"files": {"会议\x01纪要\x7f.pdf", testPDF}})
	if code != http.StatusBadRequest && code != http.StatusSeeOther {
		t.Errorf("control characters: %d", code)
	}
	if n := count(t, st, "SELECT count(*) FROM attachments WHERE name LIKE '%\x01%' OR name LIKE '%\x7f%'"); n != 0 {
		t.Errorf("a name with control characters was stored")
	}
	// "报告\u202Efdp.exe" looks like "报告exe.pdf" on screen; without the
	// override it is an .exe, refused, and the message names it plainly.
	code, body, _ := p.victim.postMultipart(path, url.Values{"csrf": {p.victim.csrf()}}, map[string][2]string{"files": {"报告\u202Efdp.exe", testPDF}})
	if code != http.StatusUnprocessableEntity || strings.Contains(body, "\u202E") || !strings.Contains(body, "报告fdp.exe") {
		t.Errorf("right-to-left override: %d %s", code, pageMessage(body))
	}
	code, _, _ = p.victim.postMultipart(path, url.Values{"csrf": {p.victim.csrf()}}, map[string][2]string{"files": {long, testPDF}})
	if code != http.StatusSeeOther {
		t.Fatalf("long name: %d", code)
	}
	name := one(t, st, "SELECT name FROM attachments ORDER BY id DESC LIMIT 1")[0]
	if utf8.RuneCountInString(name) != 100 || !strings.HasSuffix(name, "….pdf") || !strings.HasPrefix(name, "关于印发") {
		t.Errorf("long name stored as %q (%d characters)", name, utf8.RuneCountInString(name))
	}
	if n := count(t, st, "SELECT count(*) FROM attachments WHERE name LIKE '%\u202E%' OR name LIKE '%/%' OR name LIKE '%\\%'"); n != 0 {
		t.Errorf("%d stored names keep an override or a path", n)
	}
}

// probeNoStore: every page and download behind a login — attachments,
// images, Excel, Word and TSV exports included — says Cache-Control:
// no-store, so nothing stays in a shared computer's browser cache.
func probeNoStore(t *testing.T, p *probe) {
	st := p.st
	n := 0
	for _, rt := range routesOf(t, st) {
		method, path, _, ok := p.path(rt.Pattern)
		if rt.Public || method != http.MethodGet || !ok {
			continue
		}
		code, h, _ := p.victim.getBytes(path)
		n++
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s (%d, %s): Cache-Control %q", path, code, h.Get("Content-Type"), h.Get("Cache-Control"))
		}
	}
	if n < 40 {
		t.Fatalf("only %d GET routes", n)
	}
}
