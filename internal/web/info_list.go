package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"zhendi/internal/infosub"
	"zhendi/internal/web/form"
)

// 信息报送 (information submission and 三审三校 review): the handlers are
// split by page — list and queue (this file), the editor (info_draft.go),
// the draft page (info_show.go), review (info_review.go), publication,
// images, bulletin, lexicon and settings. Every change goes through the
// service; the rules are in internal/infosub.

// infoUnit is the unit whose information the page shows: the user's own,
// or, for district users, the one chosen with ?unit=.
func (s *Server) infoUnit(c *reqCtx, r *http.Request) int64 {
	if c.user.UnitID != 0 {
		if want := formID(r.URL.Query().Get("unit")); want == 0 || want == c.user.UnitID || !slices.Contains(c.scope.ReadUnits, want) {
			return c.user.UnitID
		}
	}
	return unitChoice(c, r)
}

func (s *Server) infoList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.HasContent() {
		s.forbidden(w, r, c)
		return
	}
	q := r.URL.Query()
	unitID := s.infoUnit(c, r)
	f := form.ParseInfoFilter(q, unitID, perPage)
	drafts, total, err := s.st.ListDrafts(r.Context(), c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, err := s.st.Nodes(r.Context(), []int64{unitID}, false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	pageURL := func(p int) string {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Set("page", strconv.Itoa(p))
		return "/info?" + v.Encode()
	}
	queue, err := s.st.ReviewQueue(r.Context(), c.scope, c.user.ID, c.user.Grants)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "info_list", map[string]any{
		"Title": "信息报送", "Nav": "info", "F": f, "Drafts": drafts, "Total": total, "Pages": (total + perPage - 1) / perPage,
		"Prev": pageURL(f.Page - 1), "Next": pageURL(f.Page + 1), "Nodes": nodes, "Statuses": infoStatuses(), "QueueN": len(queue),
		"CanWrite": !c.scope.IsReadOnly(), "CanManage": infosub.CanManage(c.scope, unitID),
	})
}

type statusOpt struct{ Code, Label string }

func infoStatuses() []statusOpt {
	var out []statusOpt
	for _, st := range []infosub.Status{infosub.StatusDraft, infosub.StatusReview, infosub.StatusReturned, infosub.StatusApproved, infosub.StatusPublished, infosub.StatusWithdrawn} {
		out = append(out, statusOpt{string(st), st.Label()})
	}
	return out
}

func (s *Server) infoQueue(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	queue, err := s.st.ReviewQueue(r.Context(), c.scope, c.user.ID, c.user.Grants)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "info_queue", map[string]any{"Title": "待我审核", "Nav": "info", "Queue": queue, "Now": s.now().Unix()})
}
