package web

import (
	"net/http"
	"slices"
	"sort"

	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// supMine is the person view (我的任务): obligations the user answers for, own
// rectification items and notifications.
func (s *Server) supMine(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	year := s.supYear(r, c)
	today := s.today()
	var mine []supervise.Result
	if c.user.UnitID != 0 {
		// Counting for one's own obligations needs the unit's ledger even
		// when the person may not read every entry: only the counts are shown.
		full := c.scope
		full.ReadUnits = []int64{c.user.UnitID}
		all, err := s.svc.Compliance(ctx, full, []int64{c.user.UnitID}, year)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		var results []supervise.Result
		if uc := all[c.user.UnitID]; uc != nil {
			results = uc.Results
		}
		for _, res := range results {
			if !slices.Contains(res.Responsible(), c.user.ID) || res.Status == supervise.Upcoming {
				continue
			}
			if res.Status == supervise.Done && !(res.Period.From <= today && today <= res.Period.To) {
				continue
			}
			mine = append(mine, res)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool {
		if mine[i].Status != mine[j].Status {
			return mine[i].Status > mine[j].Status
		}
		return mine[i].Deadline < mine[j].Deadline
	})
	rects, err := s.st.Rects(ctx, c.scope, store.RectFilter{Owner: c.user.ID})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	notes, unread, err := s.st.Notifications(ctx, c.user.ID, 30)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "supervise_my", map[string]any{"Title": "我的任务", "Nav": "supervise", "Year": year, "Results": mine, "PastDue": supervise.PastDue(mine),
		"Rects": rects, "Notes": notes, "Unread": unread, "Today": today, "CanReadUnit": len(c.scope.ReadUnits) > 0})
}

// supMarkRead marks the caller's notifications read.
func (s *Server) supMarkRead(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := s.svc.MarkNotificationsRead(r.Context(), c.user.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/supervise/my")
}
