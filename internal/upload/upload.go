// Package upload checks uploaded files by their content, not by the name or
// the type the browser claims, and against a size limit.
package upload

import (
	"archive/zip"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
	"zhendi/internal/apperr"
)

// Kind is an accepted file type.
type Kind struct {
	Mime  string
	Exts  []string
	Label string
}

var (
	pdf   = Kind{"application/pdf", []string{".pdf"}, "PDF"}
	png   = Kind{"image/png", []string{".png"}, "PNG 图片"}
	jpeg  = Kind{"image/jpeg", []string{".jpg", ".jpeg"}, "JPEG 图片"}
	gif   = Kind{"image/gif", []string{".gif"}, "GIF 图片"}
	ooxml = map[string]Kind{
		"word/": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}, "Word 文档"},
		"xl/":   {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}, "Excel 表格"},
		"ppt/":  {"application/vnd.openxmlformats-officedocument.presentationml.presentation", []string{".pptx"}, "PPT 演示文稿"},
	}
	ofd  = Kind{"application/ofd", []string{".ofd"}, "OFD 版式文档"}
	ole  = Kind{"application/x-ole-storage", []string{".doc", ".xls", ".ppt", ".wps", ".et", ".dps"}, "Office/WPS 文档"}
	text = Kind{"text/plain; charset=utf-8", []string{".txt"}, "文本文件"}
)

// Allowed describes the accepted types for error messages and the form.
const Allowed = "PDF、Word/WPS、Excel、PPT、OFD、图片（PNG/JPEG/GIF）、文本"

// Accept is the value for an <input type=file accept=...>.
const Accept = ".pdf,.doc,.docx,.wps,.xls,.xlsx,.et,.ppt,.pptx,.dps,.ofd,.png,.jpg,.jpeg,.gif,.txt"

// Check returns the MIME type of data if it is an accepted file whose
// content agrees with its extension, and not larger than max bytes.
func Check(name string, data []byte, max int64) (string, error) {
	if int64(len(data)) > max {
		return "", apperr.Rule(fmt.Sprintf("附件「%s」超过大小上限 %d MB", name, max>>20))
	}
	if len(data) == 0 {
		return "", apperr.Rule(fmt.Sprintf("附件「%s」是空文件", name))
	}
	k, ok := detect(data)
	if !ok {
		return "", apperr.Rule(fmt.Sprintf("附件「%s」的类型不允许，仅接受 %s", name, Allowed))
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range k.Exts {
		if e == ext {
			return k.Mime, nil
		}
	}
	return "", apperr.Rule(fmt.Sprintf("附件「%s」的内容是%s，与扩展名 %s 不符", name, k.Label, ext))
}

func detect(b []byte) (Kind, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return pdf, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return png, true
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return jpeg, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return gif, true
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return ole, true
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return detectZip(b)
	case utf8.Valid(b) && !bytes.ContainsRune(b, 0):
		return text, true
	}
	return Kind{}, false
}

// detectZip tells OOXML and OFD packages from other zip files (which may
// carry anything, so they are refused).
func detectZip(b []byte) (Kind, bool) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return Kind{}, false
	}
	var contentTypes bool
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" {
			contentTypes = true
		}
		if strings.EqualFold(f.Name, "OFD.xml") {
			return ofd, true
		}
	}
	if !contentTypes {
		return Kind{}, false
	}
	for _, f := range zr.File {
		for prefix, k := range ooxml {
			if strings.HasPrefix(f.Name, prefix) {
				return k, true
			}
		}
	}
	return Kind{}, false
}
