package upload

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func docx(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		mime string
		err  string
	}{
		{"纪要.pdf", []byte("%PDF-1.7\n..."), "application/pdf", ""},
		{"纪要.PDF", []byte("%PDF-1.4"), "application/pdf", ""},
		{"报告.docx", docx(t), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"报告.pdf", docx(t), "", "与扩展名"},
		{"病毒.exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", "不允许"},
		{"伪装.pdf", []byte("<script>alert(1)</script>"), "", "与扩展名"},
		{"空.pdf", nil, "", "空文件"},
		{"大.pdf", append([]byte("%PDF-"), make([]byte, 2<<20)...), "", "超过大小上限"},
	}
	for _, c := range cases {
		mime, err := Check(c.name, c.data, 1<<20)
		if c.err == "" {
			if err != nil || mime != c.mime {
				t.Errorf("%s: got %q, %v", c.name, mime, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: want error containing %q, got %v", c.name, c.err, err)
		}
	}
}
