package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"

	"zhendi/internal/apperr"
	"zhendi/internal/docx"
	"zhendi/internal/report"
	"zhendi/internal/supervise"
)

// circularFor builds the district circular (通报) from the roll-up or, with
// a unit parameter, a unit's circular on its departments, branches and
// leaders; it returns the year it speaks of.
//
// The issuing node is the unit for a unit's circular and the supervisor's
// own node (the district) for the district one.
func (s *Server) circularFor(ctx context.Context, c *reqCtx, r *http.Request) (supervise.Circular, int, error) {
	year := s.supYear(r, c)
	if r.URL.Query().Get("unit") != "" {
		unitID := unitChoice(c, r)
		all, err := s.svc.Compliance(ctx, c.scope, []int64{unitID}, year)
		if err != nil {
			return supervise.Circular{}, year, err
		}
		uc := all[unitID]
		if uc == nil {
			return supervise.Circular{}, year, apperr.ErrNotFound
		}
		return supervise.UnitCircular(uc, year, s.today()), year, nil
	}
	ro, err := s.supRollupOf(ctx, c, r)
	if err != nil {
		return supervise.Circular{}, year, err
	}
	return supervise.DistrictCircular(ro.Units, ro.Year, s.today()), ro.Year, nil
}

// circularPage is the circular for a page or download, or false when it has
// answered: 403 for someone reading no unit, or the error.
func (s *Server) circularPage(w http.ResponseWriter, r *http.Request, c *reqCtx) (supervise.Circular, int, bool) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return supervise.Circular{}, 0, false
	}
	ci, year, err := s.circularFor(r.Context(), c, r)
	if err != nil {
		s.httpError(w, r, c, err)
		return ci, year, false
	}
	return ci, year, true
}

// supCircular shows the circular as a printable page.
func (s *Server) supCircular(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ci, year, ok := s.circularPage(w, r, c)
	if !ok {
		return
	}
	s.render(w, r, c, "supervise_circular", map[string]any{"Title": ci.Title, "Nav": "supervise", "Ci": ci, "Year": year, "DocxURL": "/supervise/circular.docx?" + r.URL.Query().Encode(),
		"DocDate": s.docDateForm("/supervise/circular.docx?" + r.URL.Query().Encode())})
}

// supCircularDOCX downloads the circular as a Word document.
func (s *Server) supCircularDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ci, year, ok := s.circularPage(w, r, c)
	if !ok {
		return
	}
	issuer := c.user.OrgID
	if r.URL.Query().Get("unit") != "" {
		issuer = unitChoice(c, r)
	}
	d := ci.Doc()
	if err := s.finishDoc(r.Context(), r, &d, report.CircularFinishing, issuer); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.RecordExport(r.Context(), c.actor(), c.user.UnitID, "supervise.circular", "rollup",
		map[string]any{"year": year, "behind": len(ci.Behind), "query": r.URL.RawQuery}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("通报-%d.docx", year)))
	w.Write(buf.Bytes())
}
