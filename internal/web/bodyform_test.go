package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// multipartBody is a form with a text field before and after two files.
func multipartBody(t *testing.T, big, small int) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", "tok")
	mw.WriteField("title", "会议")
	w, _ := mw.CreateFormFile("files", "big.pdf")
	w.Write(bytes.Repeat([]byte("a"), big))
	w, _ = mw.CreateFormFile("files", "small.pdf")
	w.Write(bytes.Repeat([]byte("b"), small))
	mw.WriteField("after", "后")
	mw.Close()
	return &buf, mw.Boundary()
}

func TestReadMultipartCutsOverSizeFiles(t *testing.T) {
	buf, boundary := multipartBody(t, 5000, 10)
	form, err := readMultipart(multipart.NewReader(buf, boundary), 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer form.RemoveAll()
	if form.Value["csrf"][0] != "tok" || form.Value["title"][0] != "会议" || form.Value["after"][0] != "后" {
		t.Fatalf("fields lost: %v", form.Value)
	}
	fs := form.File["files"]
	if len(fs) != 2 || fs[0].Size != 5000 || fs[1].Size != 10 {
		t.Fatalf("files: %+v", fs)
	}
	f, _ := fs[1].Open()
	data, _ := io.ReadAll(f)
	if string(data) != "bbbbbbbbbb" {
		t.Fatalf("small file %q", data)
	}
}

// A body cut off by the total cap inside a file keeps the fields before it
// and marks the file as over any limit.
func TestReadMultipartCutOffInsideFile(t *testing.T) {
	buf, boundary := multipartBody(t, 5000, 10)
	body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(buf), 1500)
	form, err := readMultipart(multipart.NewReader(body, boundary), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if form.Value["title"][0] != "会议" || len(form.File["files"]) != 1 || form.File["files"][0].Size <= 1000 {
		t.Fatalf("cut body: %v %+v", form.Value, form.File)
	}
}

func TestParseBodyTokenNotFromQuery(t *testing.T) {
	r := httptest.NewRequest("POST", "/x?csrf=fromquery", strings.NewReader("title=a"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := parseBody(httptest.NewRecorder(), r, 1<<20); err != nil {
		t.Fatal(err)
	}
	if got := csrfToken(r); got != "" {
		t.Fatalf("token %q read from the query string", got)
	}
	r = httptest.NewRequest("POST", "/x", strings.NewReader("title=%zz"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := parseBody(httptest.NewRecorder(), r, 1<<20); err == nil {
		t.Fatal("malformed body accepted")
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":         "passwd",
		`C:\Users\a\报告.docx`:       "报告.docx",
		"报告\u202Efdp.exe":          "报告fdp.exe",
		"a\u200b\u2066b\u200f.pdf": "ab.pdf",
		"a\tb\nc.pdf":              "a b c.pdf",
		`"引号".pdf`:                 "引号.pdf",
		"..":                       "附件",
		" . ":                      "附件",
	} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := cleanFileName(strings.Repeat("长", 300) + ".docx")
	if utf8.RuneCountInString(long) != maxFileNameRunes || !strings.HasSuffix(long, "….docx") {
		t.Errorf("long name %q (%d)", long, utf8.RuneCountInString(long))
	}
}
