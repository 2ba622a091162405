package web

import (
	"net/http"

	"zhendi/internal/incident"
	"zhendi/internal/store"
)

// fillFromEvent fills a new incident from an opinion event the caller
// reads: its unit, title and first-seen time.
func (s *Server) fillFromEvent(r *http.Request, c *reqCtx, in *incident.Incident, eventID int64) error {
	// Events arrive with the opinion pipeline (branch oppipe).
	return store.ErrNotFound
}
