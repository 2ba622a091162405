package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/notify"
	"zhendi/internal/supervise"
	"zhendi/internal/web/form"
)

// supChannels is the reminder channels page (提醒渠道) with the delivery log.
func (s *Server) supChannels(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.channelsPage(w, r, c, unitChoice(c, r), http.StatusOK, "", nil)
}

// channelsPage renders the channels of a unit the caller manages; draft,
// after a refused save, is shown instead of the stored settings.
func (s *Server) channelsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, unitID int64, status int, errMsg string, draft *notify.Settings) {
	if !supervise.CanManage(c.scope, unitID) {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	ns, err := s.st.NotifySettings(ctx, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if draft != nil {
		ns = *draft
	}
	_, staff, err := s.unitPeople(ctx, unitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	ids := make([]int64, len(staff))
	for i, u := range staff {
		ids[i] = u.ID
	}
	emails, err := s.st.ContactEmails(ctx, ids)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	log, err := s.st.Deliveries(ctx, []int64{unitID}, 100)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.renderStatus(w, r, c, status, "supervise_channels", map[string]any{"Title": "提醒渠道与发送记录", "Nav": "supervise", "UnitID": unitID,
		"S": ns, "Staff": staff, "Emails": emails, "Log": log, "Error": errMsg, "HasPass": ns.SMTPPass != "", "HasSecret": ns.DingTalkSecret != ""})
}

// supChannelsSave stores a unit's channels and its people's addresses.
func (s *Server) supChannelsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	ch := form.Channels(r.PostForm)
	ns, err := s.svc.SaveChannels(r.Context(), c.actor(), c.scope, ch)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelsPage(w, r, c, ns.UnitID, http.StatusUnprocessableEntity, msg, &ns)
		return
	}
	redirect(w, r, fmt.Sprintf("/supervise/channels?unit=%d&ok=saved", ns.UnitID))
}
