package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/ledgerxlsx"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func sendXLSX(w http.ResponseWriter, name string, data []byte) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// ledgerExport downloads the filtered ledger view (every page) as Excel.
func (s *Server) ledgerExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	f := ledger.ParseFilter(r.URL.Query())
	acts, err := s.svc.ExportActivities(ctx, c.actor(), c.scope, c.user.UnitID, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	title := "意识形态工作台账"
	if f.From != "" || f.To != "" {
		title += fmt.Sprintf("（%s 至 %s）", ledger.FormatDate(f.From), ledger.FormatDate(f.To))
	}
	var buf bytes.Buffer
	if err := ledgerxlsx.Export(&buf, title, acts); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, "台账-"+s.now().In(cntime.Zone).Format("20060102")+".xlsx", buf.Bytes())
}

func (s *Server) importUnit(c *reqCtx) (int64, bool) {
	if c.scope.IsReadOnly() {
		return 0, false
	}
	return c.user.UnitID, c.user.UnitID != 0
}

// ledgerTemplate downloads the import template with the unit's own
// departments and staff list.
func (s *Server) ledgerTemplate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.importUnit(c)
	if !ok {
		s.forbidden(w, r, c)
		return
	}
	nodes, staff, err := s.unitPeople(r.Context(), unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// The template carries the unit's staff list: its download is logged.
	if !s.recordDownload(w, r, c, unitID, "activity.template", "template", 0, map[string]any{"departments": len(nodes), "staff": len(staff)}) {
		return
	}
	var buf bytes.Buffer
	if err := ledgerxlsx.Template(&buf, nodes, staff); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, "台账导入模板.xlsx", buf.Bytes())
}

func (s *Server) ledgerImportPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if _, ok := s.importUnit(c); !ok {
		s.forbidden(w, r, c)
		return
	}
	s.render(w, r, c, "ledger_import", map[string]any{"Title": "Excel 导入台账", "Nav": "ledger"})
}

// ledgerImport reads an uploaded file and shows what importing it would
// do (counts per type, matched people, warnings, errors); nothing is
// imported until the user confirms (ledgerImportConfirm).
func (s *Server) ledgerImport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	unitID, ok := s.importUnit(c)
	if !ok {
		s.forbidden(w, r, c)
		return
	}
	fail := func(data map[string]any) {
		data["Title"], data["Nav"] = "Excel 导入台账", "ledger"
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "ledger_import", data)
	}
	if !s.readForm(w, r, c) {
		return
	}
	data, name, msg := uploaded(r, ledgerxlsx.MaxFileSize, "要导入的 Excel 文件", "请分批导入")
	if msg != "" {
		fail(map[string]any{"Error": msg})
		return
	}
	pv, err := s.svc.PreviewImport(ctx, c.actor(), c.scope, unitID, name, data)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		fail(map[string]any{"Error": msg})
		return
	}
	if len(pv.File.Errors) > 0 {
		fail(map[string]any{"Errors": pv.File.Errors, "Preview": pv})
		return
	}
	s.render(w, r, c, "ledger_import", map[string]any{"Title": "Excel 导入台账", "Nav": "ledger", "Preview": pv})
}

// ledgerImportConfirm imports a previewed file, all or nothing.
func (s *Server) ledgerImportConfirm(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.importUnit(c)
	if !ok {
		s.forbidden(w, r, c)
		return
	}
	id := formID(r.PathValue("id"))
	if !s.readForm(w, r, c) {
		return
	}
	res, err := s.svc.ConfirmImport(r.Context(), c.actor(), c.scope, unitID, id, r.PostFormValue("late_reason"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "ledger_import", map[string]any{"Title": "Excel 导入台账", "Nav": "ledger", "Error": msg})
		return
	}
	s.render(w, r, c, "ledger_import", map[string]any{"Title": "Excel 导入台账", "Nav": "ledger", "Result": res})
}

// uploaded reads the form's "file" field, of at most max bytes, for the
// import and upload forms. It returns the bytes and the file's name
// (uploadName), or the message for the user, naming the field: no file
// chosen (what says what to choose), too large (hint says what to do
// instead), or not readable.
func uploaded(r *http.Request, max int64, what, hint string) ([]byte, string, string) {
	file, fh, err := r.FormFile("file")
	if err != nil {
		return nil, "", "文件：请选择" + what + "。"
	}
	defer file.Close()
	tooBig := fmt.Sprintf("文件：超过 %d MB", max>>20)
	if hint != "" {
		tooBig += "；" + hint
	}
	tooBig += "。"
	if fh.Size > max {
		return nil, "", tooBig
	}
	data, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, "", "文件：读取失败，请重新上传。"
	}
	if int64(len(data)) > max {
		return nil, "", tooBig
	}
	return data, uploadName(fh.Filename), ""
}

// uploadName is the file name as the browser sent it, without any folder
// and bounded in length, for the import batch's provenance.
func uploadName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	return name
}
