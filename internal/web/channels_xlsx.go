package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
	"zhendi/internal/web/form"
)

// channelsExport downloads the unit's 阵地台账 (logged by the service).
func (s *Server) channelsExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	data, err := s.svc.ExportChannels(r.Context(), c.actor(), c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, "阵地台账-"+s.now().In(cntime.Zone).Format("20060102")+".xlsx", data)
}

func (s *Server) channelsImportPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	if !supervise.CanManage(c.scope, unitID) {
		s.forbidden(w, r, c)
		return
	}
	s.render(w, r, c, "channels_import", map[string]any{"Title": "Excel 导入阵地", "Nav": "channels", "UnitID": unitID})
}

// channelsImport imports an uploaded registry, all rows or none.
func (s *Server) channelsImport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	unitID := form.ID(r.PostForm, "unit")
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	if !supervise.CanManage(c.scope, unitID) {
		s.forbidden(w, r, c)
		return
	}
	fail := func(msg string, rows []channel.RowError) {
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "channels_import", map[string]any{"Title": "Excel 导入阵地", "Nav": "channels",
			"UnitID": unitID, "Error": msg, "Rows": rows})
	}
	data, _, msg := uploaded(r, channel.MaxFileSize, "要导入的 Excel 文件", "")
	if msg != "" {
		fail(msg, nil)
		return
	}
	n, rows, err := s.svc.ImportChannels(r.Context(), c.actor(), c.scope, unitID, data)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		fail(msg, nil)
		return
	}
	if len(rows) > 0 {
		fail(fmt.Sprintf("有 %d 行有误，未导入任何阵地；请改正后重新导入。", len(rows)), rows)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels?unit=%d&ok=imported&n=%d", unitID, n))
}
