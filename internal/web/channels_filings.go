package web

import (
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/channel"
	"zhendi/internal/web/form"
)

// channelsFilings lists a unit's 报备 records: every opening, rename, status
// change with its filing, the changes that needed one and lack it first.
func (s *Server) channelsFilings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.channelsFilingsPage(w, r, c, unitChoice(c, r), http.StatusOK, "")
}

func (s *Server) channelsFilingsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string) {
	if !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	evs, err := s.st.ChannelEvents(r.Context(), c.scope, unitID, 0)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	unfiled := channel.UnfiledEvents(evs)
	s.renderStatus(w, r, c, status, "channels_filings", map[string]any{
		"Title": "阵地报备记录", "Nav": "channels", "Events": evs, "Unfiled": len(unfiled), "UnitID": unitID, "Error": errMsg,
		"CanWrite": slices.Contains(c.scope.WriteUnits, unitID),
	})
}

// channelEventFile adds a 报备 number and date to a recorded change.
func (s *Server) channelEventFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	unitID := form.ID(r.PostForm, "unit")
	err := s.svc.FileChannelEvent(r.Context(), c.actor(), c.scope, id, form.Text(r.PostForm, "filing_no"), form.HalfWidthDigits(form.Text(r.PostForm, "filing_date")))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelsFilingsPage(w, r, c, unitID, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/filings?unit=%d&ok=saved", unitID))
}
