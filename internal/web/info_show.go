package web

import (
	"html/template"
	"net/http"

	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
)

// The draft page: text, screening panel, review actions, history and
// publications.

func (s *Server) infoShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderInfo(w, r, c, formID(r.PathValue("id")), "", http.StatusOK)
}

// infoShowError shows the draft page again with a user error (422); any
// other error gets its own page.
func (s *Server) infoShowError(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, err error) {
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	s.renderInfo(w, r, c, id, msg, http.StatusUnprocessableEntity)
}

type markedSegment struct {
	Text    string
	Finding *infosub.Finding
	N       int
}

func segments(text string, fs []infosub.Finding) []markedSegment {
	var out []markedSegment
	pos := 0
	for i := range fs {
		f := &fs[i]
		if f.Start < pos {
			continue // overlapping rule finding: shown in the list only
		}
		if f.Start > pos {
			out = append(out, markedSegment{Text: text[pos:f.Start]})
		}
		out = append(out, markedSegment{Text: text[f.Start:f.End], Finding: f, N: i + 1})
		pos = f.End
	}
	if pos < len(text) {
		out = append(out, markedSegment{Text: text[pos:]})
	}
	return out
}

func (s *Server) renderInfo(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, errMsg string, status int) {
	ctx := r.Context()
	d, err := s.st.Draft(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	versions, decisions, err := s.st.DraftHistory(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	pubs, err := s.st.Publications(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	scr, err := s.svc.InfoScreener(ctx, d.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	cfg, err := s.st.InfoConfig(ctx, d.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	findings := scr.Screen(d.BodyText)
	titleFindings := scr.Screen(d.Title)
	var cycle []infosub.Decision
	for _, x := range decisions {
		if x.Cycle == d.Cycle {
			cycle = append(cycle, x)
		}
	}
	st := infosub.ReviewStateOf(d, cfg, cycle)
	can := func(a infosub.Action) bool { return infosub.CanReview(st, c.user.ID, c.user.Grants, a) == nil }
	approveErr := ""
	if err := infosub.CanReview(st, c.user.ID, c.user.Grants, infosub.ActApprove); err != nil && can(infosub.ActReturn) {
		approveErr = err.Error()
	}
	author := d.AuthorID == c.user.ID
	editable := infosub.Editable(d, c.user.ID)
	reviewer := can(infosub.ActReturn)
	blocking := 0
	for _, f := range append(append([]infosub.Finding{}, findings...), titleFindings...) {
		if f.Blocking() {
			blocking++
		}
	}
	// The final step's reviewer sees every finding still open (title
	// first) before approving: blocking ones need an override with a
	// reason, the rest are listed.
	var finalOpen []infosub.Finding
	if reviewer && d.Status == infosub.StatusReview && st.Step == len(st.Chain)-1 {
		finalOpen = append(append(finalOpen, titleFindings...), findings...)
	}
	// Default diff: the previous version against the latest.
	diffFrom, diffTo := 0, 0
	if n := len(versions); n >= 2 {
		diffFrom, diffTo = versions[n-2].Version, versions[n-1].Version
	}
	s.renderStatus(w, r, c, status, "info_show", map[string]any{
		"Title": d.Title, "Nav": "info", "D": d, "Error": errMsg,
		"Body":     template.HTML(infosub.NewSanitizer().Sanitize(d.Body)),
		"Segments": segments(d.BodyText, findings), "Findings": findings, "TitleFindings": titleFindings, "Blocking": blocking,
		"Kinds": infosub.Kinds(findings), "FinalOpen": finalOpen,
		"Versions": versions, "Decisions": decisions, "Pubs": pubs, "Levels": infosub.Levels, "Points": cfg.Points,
		"Editable": editable, "Author": author, "Reviewer": reviewer, "CanApprove": can(infosub.ActApprove), "ApproveErr": approveErr,
		"CanProof": can(infosub.ActProof), "CanOverride": can(infosub.ActOverride) && blocking > 0,
		"CanWithdraw": author && infosub.Allowed(d.Status, infosub.ActWithdraw), "CanSubmit": editable,
		"CanDelete": infosub.CanDelete(d, c.user.ID) == nil, "CanPublish": infosub.CanManage(c.scope, d.UnitID) && (d.Status == infosub.StatusApproved || d.Status == infosub.StatusPublished),
		"CanReplace": editable || reviewer, "Proofs": infosub.ProofCount(cycle), "ProofRounds": cfg.ProofRounds,
		"DiffFrom": diffFrom, "DiffTo": diffTo, "Chain": st.Chain, "Today": cntime.Date(s.now()),
	})
}
