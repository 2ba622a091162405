package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/ledgerxlsx"
)

// maxImportBytes bounds an uploaded import file (5000 rows fit easily).
const maxImportBytes = 10 << 20

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

// ledgerImport validates every row and imports all of them or none.
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
	file, fh, err := r.FormFile("file")
	if err != nil {
		fail(map[string]any{"Error": "请选择要导入的 Excel 文件。"})
		return
	}
	defer file.Close()
	if fh.Size > maxImportBytes {
		fail(map[string]any{"Error": fmt.Sprintf("文件超过 %d MB。", maxImportBytes>>20)})
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, maxImportBytes+1))
	if err != nil {
		fail(map[string]any{"Error": "读取文件失败。"})
		return
	}
	nodes, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	acts, rowErrs, err := ledgerxlsx.Parse(bytes.NewReader(data), unitID, nodes, staff, s.now().In(cntime.Zone))
	if err != nil {
		fail(map[string]any{"Error": err.Error()})
		return
	}
	if len(rowErrs) > 0 {
		fail(map[string]any{"Errors": rowErrs})
		return
	}
	if len(acts) == 0 {
		fail(map[string]any{"Error": "文件中没有台账数据行。"})
		return
	}
	res, err := s.svc.ImportActivities(ctx, c.actor(), c.scope, unitID, acts)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		fail(map[string]any{"Error": msg})
		return
	}
	s.render(w, r, c, "ledger_import", map[string]any{"Title": "Excel 导入台账", "Nav": "ledger", "Result": res})
}
