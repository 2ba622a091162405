package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"zhendi/internal/apperr"
	"zhendi/internal/docx"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/store"
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

// circularIssuer is the node that issues the circular the request asks
// for — the unit for a unit's circular, the supervisor's own node (the
// district) for the district one — and the key of that document in the
// node's 发文字号 register.
func circularIssuer(c *reqCtx, r *http.Request, year int) (int64, string) {
	if r.URL.Query().Get("unit") != "" {
		u := unitChoice(c, r)
		return u, fmt.Sprintf("unit:%d:%d", u, year)
	}
	return c.user.OrgID, fmt.Sprintf("district:%d:%d", c.user.OrgID, year)
}

// circularNumber is the circular's 发文字号 once issued ("" before).
func (s *Server) circularNumber(ctx context.Context, c *reqCtx, r *http.Request, year int) (org.DocNumber, error) {
	node, subject := circularIssuer(c, r, year)
	n, err := s.st.DocNumberOf(ctx, c.scope, node, "circular", subject)
	if errors.Is(err, store.ErrNotFound) {
		return org.DocNumber{}, nil
	}
	return n, err
}

// supCircular shows the circular as a printable page.
func (s *Server) supCircular(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ci, year, ok := s.circularPage(w, r, c)
	if !ok {
		return
	}
	num, err := s.circularNumber(r.Context(), c, r, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	node, _ := circularIssuer(c, r, year)
	s.render(w, r, c, "supervise_circular", map[string]any{"Title": ci.Title, "Nav": "supervise", "Ci": ci, "Year": year, "DocxURL": "/supervise/circular.docx?" + r.URL.Query().Encode(),
		"DocDate": s.docDateForm("/supervise/circular.docx?" + r.URL.Query().Encode()), "Number": num, "CanIssue": c.scope.SetsDocs(node),
		"Unit": r.URL.Query().Get("unit"), "Error": r.URL.Query().Get("error")})
}

// supCircularIssue numbers the circular when it is issued (印发): the
// next 发文字号 of the issuing node's register, once; the page and the
// Word file then carry it.
func (s *Server) supCircularIssue(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	// The page's own query (unit, year) is posted back as form fields.
	r.URL.RawQuery = r.PostForm.Encode()
	ci, year, ok := s.circularPage(w, r, c)
	if !ok {
		return
	}
	node, subject := circularIssuer(c, r, year)
	back := url.Values{"year": {strconv.Itoa(year)}}
	if u := r.PostForm.Get("unit"); u != "" {
		back.Set("unit", u)
	}
	if _, err := s.svc.IssueDoc(r.Context(), c.actor(), c.scope, node, "circular", subject, ci.Title); err != nil {
		if errors.Is(err, apperr.ErrNotFound) {
			s.forbidden(w, r, c)
			return
		}
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		back.Set("error", msg)
	}
	http.Redirect(w, r, "/supervise/circular?"+back.Encode(), http.StatusSeeOther)
}

// supCircularDOCX downloads the circular as a Word document.
func (s *Server) supCircularDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ci, year, ok := s.circularPage(w, r, c)
	if !ok {
		return
	}
	issuer, _ := circularIssuer(c, r, year)
	num, err := s.circularNumber(r.Context(), c, r, year)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	d := ci.Doc()
	d.Number = num.String()
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
		map[string]any{"year": year, "behind": len(ci.Behind), "query": r.URL.RawQuery, "number": num.String()}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("通报-%d.docx", year)))
	w.Write(buf.Bytes())
}
