package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/audit"
	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// auditRow is one entry as the audit page and its export show it: every
// code turned into Chinese, every object named, with links to filter by it.
type auditRow struct {
	audit.Entry
	When       string
	Unit       string // unit name, “全局” for installation-wide entries
	Action     string // Chinese label
	Object     string // “台账 中心组学习”, “用户 张三”
	ObjectLink string // this object's history in the audit log
	ActorLink  string // this operator's entries
	ActionLink string // entries of this action
}

// auditFilter turns the page's query into the store filter, scoped: units
// the user audits, and entries of no unit for installation auditors only.
func auditFilter(c *reqCtx, q form.AuditQuery, limit int) store.AuditFilter {
	return store.AuditFilter{OrgIDs: c.scope.AuditUnits, Global: c.scope.InstallAudit, Action: q.Action, ActorID: q.ActorID,
		From: q.FromT, To: q.ToT, ObjectType: q.ObjectType, ObjectID: q.ObjectID, BeforeID: q.BeforeID, Limit: limit}
}

// auditRows labels entries, looking up unit and user names once each.
func (s *Server) auditRows(ctx context.Context, q form.AuditQuery, entries []audit.Entry) ([]auditRow, error) {
	units := map[int64]string{0: "全局"}
	users := map[int64]string{}
	base := q.Values()
	link := func(k, v string, more ...string) string {
		u := url.Values{}
		for key, vals := range base {
			u[key] = vals
		}
		u.Set(k, v)
		for i := 0; i+1 < len(more); i += 2 {
			u.Set(more[i], more[i+1])
		}
		return "/audit?" + u.Encode()
	}
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		if _, ok := units[e.OrgID]; !ok {
			n, err := s.st.Node(ctx, e.OrgID)
			switch {
			case err == nil:
				units[e.OrgID] = n.Name
			case errors.Is(err, apperr.ErrNotFound):
				units[e.OrgID] = "单位（编号 " + strconv.FormatInt(e.OrgID, 10) + "）"
			default:
				return nil, err
			}
		}
		row := auditRow{Entry: e, When: cntime.DateTime(time.UnixMicro(e.AtMicro)), Unit: units[e.OrgID], Action: audit.ActionLabel(e.Action),
			Object: e.ObjectName(), ActionLink: link("action", e.Action)}
		if e.ObjectType == "user" && e.ObjectID != 0 {
			if _, ok := users[e.ObjectID]; !ok {
				u, err := s.st.User(ctx, e.ObjectID)
				switch {
				case err == nil:
					users[e.ObjectID] = u.Name
				case errors.Is(err, apperr.ErrNotFound):
					users[e.ObjectID] = ""
				default:
					return nil, err
				}
			}
			if name := users[e.ObjectID]; name != "" {
				row.Object = "用户 " + name
			}
		}
		if (e.ObjectType == "unit" || e.ObjectType == "org") && e.ObjectID != 0 && !strings.Contains(row.Object, " ") {
			if n, err := s.st.Node(ctx, e.ObjectID); err == nil {
				row.Object = audit.ObjectLabel(e.ObjectType) + " " + n.Name
			} else if !errors.Is(err, apperr.ErrNotFound) {
				return nil, err
			}
		}
		if e.ObjectType != "" && e.ObjectID != 0 {
			row.ObjectLink = link("type", e.ObjectType, "id", strconv.FormatInt(e.ObjectID, 10))
		}
		if e.ActorID != 0 {
			row.ActorLink = link("actor", strconv.FormatInt(e.ActorID, 10))
		}
		out = append(out, row)
	}
	return out, nil
}

// auditPage is the read-only audit log of the 审计管理员: filters by date
// range, operator, action and object, 100 entries a page, newest first.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.AuditUnits) == 0 && !c.scope.InstallAudit {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	q, qerr := form.Audit(r.URL.Query())
	actors, err := s.st.AuditActors(ctx, c.scope.AuditUnits, c.scope.InstallAudit)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data := map[string]any{"Title": "审计日志", "Nav": "audit", "Q": q, "Actors": actors, "Actions": audit.Actions(),
		"Export": "/audit/export.xlsx?" + q.Values().Encode()}
	if qerr != nil {
		msg, ok := s.userMessage(w, r, c, qerr)
		if !ok {
			return
		}
		data["Error"] = msg
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "audit", data)
		return
	}
	entries, err := s.st.ListAudit(ctx, auditFilter(c, q, 100))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	rows, err := s.auditRows(ctx, q, entries)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if len(entries) == 100 {
		next := q.Values()
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		data["Next"] = "/audit?" + next.Encode()
	}
	if q.ObjectType != "" && q.ObjectID != 0 && len(rows) > 0 {
		data["ObjectName"] = rows[0].Object
	}
	data["Rows"] = rows
	s.render(w, r, c, "audit", data)
}

// auditExport downloads the filtered log (up to store.ExportLimit entries)
// as Excel; the export is itself logged before the file is sent.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.AuditUnits) == 0 && !c.scope.InstallAudit {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	q, err := form.Audit(r.URL.Query())
	if err != nil {
		s.badRequest(w, r, c, err)
		return
	}
	q.BeforeID = 0
	entries, err := s.st.ListAudit(ctx, auditFilter(c, q, store.ExportLimit))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	rows, err := s.auditRows(ctx, q, entries)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	detail := map[string]any{"rows": len(rows), "from": q.From, "to": q.To, "action": q.Action, "actor": q.ActorID, "type": q.ObjectType, "id": q.ObjectID}
	if err := s.svc.RecordExport(ctx, c.actor(), c.user.UnitID, "audit.export", "audit", detail); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	table := make([][]string, len(rows))
	for i, e := range rows {
		table[i] = []string{strconv.FormatInt(e.ID, 10), e.When, e.Unit, e.ActorName, e.Action, e.Object, e.IP, e.Before, e.After}
	}
	title := "审计日志"
	if q.From != "" || q.To != "" {
		title += "（" + q.From + " 至 " + q.To + "）"
	}
	data, err := xlsxTable(title, []string{"编号", "时间", "单位", "操作人", "操作", "对象", "IP 地址", "修改前", "修改后或内容"},
		[]float64{8, 19, 18, 12, 16, 28, 15, 40, 40}, table)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, "审计日志-"+s.now().In(cntime.Zone).Format("20060102")+".xlsx", data)
}

// recordDownload logs a download before its bytes are sent (who, what,
// which period: detail), under unitID or, when 0, the user's own unit. It
// reports false after writing the error page when the entry could not be
// written: data whose leaving cannot be logged does not leave.
func (s *Server) recordDownload(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, action, objType string, objID int64, detail map[string]any) bool {
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	if err := s.svc.RecordDownload(r.Context(), c.actor(), unitID, action, objType, objID, detail); err != nil {
		s.httpError(w, r, c, err)
		return false
	}
	return true
}
