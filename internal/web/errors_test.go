package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// How the ledger form answers failures: a user error beside its field
// however the layers below wrapped it, a missing report document, and a
// file that cannot be written, which must leave nothing half-saved.

// TestWrappedValidationErrorBesideField: the service wraps validation
// errors with context ("create activity: …"); the form still shows the
// field's message with 422, not an error page.
func TestWrappedValidationErrorBesideField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		// The premise: what reaches the handler is wrapped.
		sc := access.Scope{UserID: f.clerkA.ID, WriteUnits: []int64{f.unitA.ID}, ReadUnits: []int64{f.unitA.ID}}
		a := ledger.Activity{Type: ledger.CentralGroup, OrgID: f.unitA.ID, Date: "2023-07-01"}
		err := svcOf(st).CreateActivity(context.Background(), store.Actor{UserID: f.clerkA.ID}, sc, &a, nil)
		if err == nil || !strings.HasPrefix(err.Error(), "create activity: ") || !apperr.IsUser(err) {
			t.Fatalf("service error is not a wrapped user error: %v", err)
		}

		c := e.client()
		c.mustLogin("clerka")
		code, body, _ := c.post("/ledger", url.Values{"csrf": {c.csrf()}, "type": {ledger.CentralGroup}, "title": {"  "},
			"date": {"2023-07-01"}, "place": {"三楼会议室"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("empty title: %d, want 422: %.300s", code, body)
		}
		if !strings.Contains(body, "<li>主题：不能为空</li>") {
			t.Fatalf("the field's message is not beside the form: %.2000s", body)
		}
		if !strings.Contains(body, `action="/ledger"`) || !strings.Contains(body, "三楼会议室") {
			t.Fatalf("the form with the user's input is not shown again")
		}
		if strings.Contains(body, "create activity") {
			t.Fatalf("the wrapping context leaked into the page")
		}
	})
}

// TestReportNeedsDocument: 分析研判 is refused without its report
// document, and saved with it.
func TestReportNeedsDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		fields := url.Values{"csrf": {c.csrf()}, "type": {ledger.AnalysisReport}, "title": {"上半年意识形态形势分析"},
			"date": {"2023-07-01"}, "lead_id": {strconv.FormatInt(f.clerkA.ID, 10)}}
		code, body, _ := c.postMultipart("/ledger", fields, nil)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "报告文件：分析研判须上传报告文档") {
			t.Fatalf("report without document: %d %.300s", code, body)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM activities"); n != 0 {
			t.Fatalf("refused report saved: %d activities", n)
		}
		code, body, loc := c.postMultipart("/ledger", fields, map[string][2]string{"report": {"研判报告.txt", "形势总体稳定。"}})
		if code != http.StatusSeeOther || !strings.Contains(loc, "ok=created") {
			t.Fatalf("report with document: %d %.300s", code, body)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM attachments WHERE kind = 'report'"); n != 1 {
			t.Fatalf("report document rows: %d", n)
		}
	})
}

// TestAttachmentWriteFailureSavesNothing: when the file of a new entry
// cannot be written, there is no entry, no attendance, no attachment row
// and no audit entry, and the user sees the form again with a message.
func TestAttachmentWriteFailureSavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		tok := c.csrf()
		// A regular file where the files folder should be: no file can be
		// created below it, even by root (chmod would not stop root).
		dir := st.BlobDir()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
			t.Fatal(err)
		}
		tables := []string{"activities", "attendance", "attachments", "audit_log"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = count(t, st, "SELECT COUNT(*) FROM "+tb)
		}
		clerk := strconv.FormatInt(f.clerkA.ID, 10)
		member := strconv.FormatInt(f.memberA.ID, 10)
		fields := url.Values{"csrf": {tok}, "type": {ledger.CentralGroup}, "title": {"学习二十大精神专题会"},
			"date": {"2023-07-01"}, "lead_id": {clerk}, "content": {"会议纪要正文"},
			"att_" + clerk: {"present"}, "att_" + member: {"absent"}, "reason_" + member: {"出差"}}
		code, body, loc := c.postMultipart("/ledger", fields, map[string][2]string{"files": {"会议纪要.txt", "纪要全文"}})
		if code == http.StatusSeeOther || code < 500 {
			t.Fatalf("unwritable file: %d %s, want a server failure", code, loc)
		}
		if !strings.Contains(body, "台账未保存") || !strings.Contains(body, "服务器处理请求时出错") {
			t.Fatalf("no message on the form: %.2000s", body)
		}
		if !strings.Contains(body, `action="/ledger"`) || !strings.Contains(body, "学习二十大精神专题会") || !strings.Contains(body, "会议纪要正文") {
			t.Fatalf("the form with the user's input is not shown again: %.2000s", body)
		}
		for _, tb := range tables {
			if n := count(t, st, "SELECT COUNT(*) FROM "+tb); n != before[tb] {
				t.Errorf("%s: %d rows before, %d after a failed save", tb, before[tb], n)
			}
		}
		// With the folder back, the same post saves the entry with its file once.
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
		if code, body, _ := c.postMultipart("/ledger", fields, map[string][2]string{"files": {"会议纪要.txt", "纪要全文"}}); code != http.StatusSeeOther {
			t.Fatalf("retry: %d %.300s", code, body)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM activities"); n != before["activities"]+1 {
			t.Fatalf("activities after retry: %d", n)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM attachments"); n != before["attachments"]+1 {
			t.Fatalf("attachments after retry: %d", n)
		}
	})
}

// TestAddFilesAllOrNothing: files added to an existing entry are recorded
// together; when one of them cannot be written, none is linked.
func TestAddFilesAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		tok := c.csrf()
		code, _, loc := c.post("/ledger", url.Values{"csrf": {tok}, "type": {ledger.CentralGroup}, "title": {"七月中心组学习"}, "date": {"2023-07-01"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		path := strings.SplitN(loc, "?", 2)[0]
		// The first file can be stored; the second's folder is a regular file.
		good, bad := "第一份材料", "第二份材料"
		sum := sha256.Sum256([]byte(bad))
		prefix := hex.EncodeToString(sum[:])[:2]
		if first := sha256.Sum256([]byte(good)); hex.EncodeToString(first[:])[:2] == prefix {
			t.Fatal("the two files share a folder; pick other contents")
		}
		if err := os.WriteFile(filepath.Join(st.BlobDir(), prefix), []byte("not a folder"), 0o600); err != nil {
			t.Fatal(err)
		}
		before := count(t, st, "SELECT COUNT(*) FROM attachments")
		audits := count(t, st, "SELECT COUNT(*) FROM audit_log")
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", tok)
		for _, f := range [][2]string{{"a.txt", good}, {"b.txt", bad}} { // the good one first
			w, _ := mw.CreateFormFile("files", f[0])
			w.Write([]byte(f[1]))
		}
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+path+"/files", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", e.srv.URL)
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 500 {
			t.Fatalf("upload with an unwritable file: %d", resp.StatusCode)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM attachments"); n != before {
			t.Errorf("attachments: %d before, %d after a failed upload", before, n)
		}
		if n := count(t, st, "SELECT COUNT(*) FROM audit_log"); n != audits {
			t.Errorf("audit entries: %d before, %d after a failed upload", audits, n)
		}
	})
}

// count runs a COUNT(*) query on the test database.
func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
