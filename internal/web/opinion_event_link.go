package web

import (
	"net/http"

	"zhendi/internal/incident"
)

// fillFromEvent fills a new incident from an opinion event the caller
// reads: its unit, title, first-seen time and figures.
func (s *Server) fillFromEvent(r *http.Request, c *reqCtx, in *incident.Incident, eventID int64) error {
	ev, err := s.st.OpinionEvent(r.Context(), c.scope, eventID)
	if err != nil {
		return err
	}
	in.EventID, in.UnitID, in.Title, in.FoundAt = ev.ID, ev.UnitID, ev.Title, ev.FirstAt
	if in.FoundAt == 0 || in.FoundAt > s.now().Unix() {
		in.FoundAt = s.now().Unix()
	}
	return nil
}
