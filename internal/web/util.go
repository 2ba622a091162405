package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"zhendi/internal/web/form"
)

// formInt reads an integer form value, 0 when empty or invalid.
func formInt(v string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(form.HalfWidthDigits(v)))
	return n
}

// formID reads a record id from a path or form value, 0 when invalid.
func formID(v string) int64 { return form.ParseID(v) }

// readForm parses the posted form — multipart (attachments) up to 8 MB in
// memory, the rest spilled to temporary files, or URL-encoded — and reports
// whether it could. On failure it has answered 400 with “表单过大或格式错误”,
// so the handler just returns.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, c *reqCtx) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		s.renderStatus(w, r, c, http.StatusBadRequest, "error", map[string]any{"Title": "无法读取表单", "Message": "表单过大或格式错误，请检查后重新提交。"})
		return false
	}
	return true
}

func timeOf(sec int64) time.Time { return time.Unix(sec, 0) }
