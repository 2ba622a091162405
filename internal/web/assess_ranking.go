package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/docx"
	"zhendi/internal/store"
)

// assessTreeFor finds the tree the ranking pages show: ?tree=ID, else the
// caller's district's tree for the year, else the tree above the caller's unit.
func (s *Server) assessTreeFor(r *http.Request, c *reqCtx) (assess.Tree, int, error) {
	ctx := r.Context()
	a := c.assessActor()
	if id := formID(r.URL.Query().Get("tree")); id != 0 {
		t, err := s.st.Tree(ctx, c.scope, id)
		return t, t.Year, err
	}
	if org := a.DistrictOrg(); org != 0 {
		year := s.yearParam(r)
		if r.URL.Query().Get("year") == "" {
			trees, err := s.st.Trees(ctx, c.scope, org)
			if err != nil {
				return assess.Tree{}, year, err
			}
			for _, t := range trees {
				if t.Status == assess.TreePublished {
					year = t.Year
					break
				}
			}
		}
		t, err := s.svc.DistrictTree(ctx, a, org, year)
		return t, year, err
	}
	unit := unitChoice(c, r)
	year := s.assessYear(ctx, r, c, unit)
	t, err := s.st.TreeOf(ctx, c.scope, unit, year, false)
	return t, year, err
}

// assessRanking is the district's ranking with a chart, the per-item
// comparison (units × indicators, and a chart of one indicator), and the
// actions that publish or freeze every unit at once.
func (s *Server) assessRanking(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.rankingPage(w, r, c, http.StatusOK, "")
}

func (s *Server) rankingPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	t, year, err := s.assessTreeFor(r, c)
	data := map[string]any{"Title": "考核排名", "Nav": "assess", "Year": year, "Error": errMsg}
	if errors.Is(err, store.ErrNotFound) {
		s.renderStatus(w, r, c, status, "assess_ranking", data)
		return
	} else if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	rs, err := s.svc.Results(r.Context(), c.scope, t)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := c.assessActor()
	district := a.DistrictOrg() == t.OrgID
	if !district {
		// A unit sees its own place only once the district has published.
		var shown []assess.Ranked
		for _, u := range rs.Ranked {
			if u.State == assess.StatePublished || u.State == assess.StateFrozen {
				shown = append(shown, u)
			}
		}
		rs.Ranked = shown
	}
	item := formID(r.URL.Query().Get("item"))
	var sel assess.Indicator
	for _, ind := range t.Indicators {
		if ind.ID == item || sel.ID == 0 {
			sel = ind
		}
	}
	total := Chart{ID: chartID("assess-rank"), Kind: ChartHBar, Title: fmt.Sprintf("%d年度考核总分", t.Year), Unit: "分"}
	byItem := Chart{ID: chartID("assess-item"), Kind: ChartHBar, Title: "分项对比：" + sel.Name, Unit: "分"}
	var tv, iv []float64
	var tl []string
	for _, u := range rs.Ranked {
		total.Categories = append(total.Categories, u.Name)
		byItem.Categories = append(byItem.Categories, u.Name)
		tv = append(tv, u.Result.Total)
		tl = append(tl, fmt.Sprintf("/assess?unit=%d&year=%d", u.UnitID, t.Year))
		v := 0.0
		for _, l := range u.Result.Lines {
			if l.Indicator.ID == sel.ID {
				v = l.Score
			}
		}
		iv = append(iv, v)
	}
	total.Series = []Series{{Name: "总分", Values: tv, Links: tl}}
	byItem.Series = []Series{{Name: sel.Name, Values: iv, Links: tl}}
	counts := map[string]int{}
	for _, u := range rs.Ranked {
		counts[u.State]++
	}
	data["Tree"], data["Results"], data["District"], data["Item"] = t, rs, district, sel.ID
	data["Counts"] = counts
	data["Charts"] = map[string]Chart{"total": total, "item": byItem}
	s.renderStatus(w, r, c, status, "assess_ranking", data)
}

// assessStepAll publishes or freezes every unit of the tree that is ready.
func (s *Server) assessStepAll(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	act := r.PostForm.Get("act")
	if act != assess.ActPublish && act != assess.ActFreeze && act != assess.ActFinish {
		s.httpError(w, r, c, apperr.Field("操作", "无效"))
		return
	}
	t, err := s.st.Tree(r.Context(), c.scope, formID(r.PostForm.Get("tree")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	a := c.assessActor()
	if a.DistrictOrg() != t.OrgID {
		s.httpError(w, r, c, apperr.ErrNotFound)
		return
	}
	if _, err := s.svc.StepAll(r.Context(), c.actor(), a, t, act); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		r.URL.RawQuery = "tree=" + strconv.FormatInt(t.ID, 10)
		s.rankingPage(w, r, c, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/ranking?tree=%d&ok=saved", t.ID))
}

// assessResults is the ranking for a download (district only).
func (s *Server) assessResults(w http.ResponseWriter, r *http.Request, c *reqCtx) (assess.Results, bool) {
	t, _, err := s.assessTreeFor(r, c)
	if err == nil && c.assessActor().DistrictOrg() != t.OrgID {
		err = apperr.ErrNotFound
	}
	if err != nil {
		s.httpError(w, r, c, err)
		return assess.Results{}, false
	}
	rs, err := s.svc.Results(r.Context(), c.scope, t)
	if err != nil {
		s.httpError(w, r, c, err)
		return rs, false
	}
	return rs, true
}

// assessDOCX downloads the 考核结果通报 (GB/T 9704, the district's 公文设置).
func (s *Server) assessDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	rs, ok := s.assessResults(w, r, c)
	if !ok {
		return
	}
	d, err := s.svc.AssessCircular(r.Context(), rs)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.RecordExport(r.Context(), c.actor(), rs.Tree.OrgID, "assess.export", "tree", map[string]any{"tree": rs.Tree.ID, "format": "docx", "units": len(rs.Ranked)}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("考核通报-%d.docx", rs.Tree.Year)))
	w.Write(buf.Bytes())
}

// assessXLSX downloads the ranking, item scores and their basis as Excel.
func (s *Server) assessXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	rs, ok := s.assessResults(w, r, c)
	if !ok {
		return
	}
	data, err := rs.Workbook()
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.RecordExport(r.Context(), c.actor(), rs.Tree.OrgID, "assess.export", "tree", map[string]any{"tree": rs.Tree.ID, "format": "xlsx", "units": len(rs.Ranked)}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, fmt.Sprintf("考核排名-%d.xlsx", rs.Tree.Year), data)
}
