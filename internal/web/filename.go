package web

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileNameRunes is the longest file name kept for an upload, in
// characters (a long Chinese document title fits; the name is metadata,
// files are stored under their content hash).
const maxFileNameRunes = 100

// cleanFileName is the name an uploaded file is stored and shown under:
// the base name only (no directory, so "../../x" is "x"), without control
// characters, without the invisible format characters that reorder or hide
// text — the right-to-left override U+202E makes "报告\u202Efdp.exe" look like
// "报告exe.pdf" — and without '"', which would end a Content-Disposition
// header. A name longer than maxFileNameRunes is shortened in the middle,
// keeping its extension. The type check (upload.Check) sees this cleaned
// name, so the extension it judges is the one the user sees.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' ' // tabs and line breaks too
		case r == utf8.RuneError, r == '"', unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			// Cf holds every bidi embedding, override and isolate
			// (U+202A–U+202E, U+2066–U+2069), the marks U+200E/U+200F/U+061C
			// and the zero-width characters.
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if strings.Trim(name, ".") == "" {
		return "附件"
	}
	if utf8.RuneCountInString(name) > maxFileNameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = string(stem[:maxFileNameRunes-utf8.RuneCountInString(ext)-1]) + "…" + ext
	}
	return name
}

// tooLarge is the message for a file over a limit of limit bytes.
func tooLarge(name string, limit int64) string {
	return fmt.Sprintf("文件「%s」超过 %d MB，未保存。请压缩或拆分后重新上传。", name, limit>>20)
}
