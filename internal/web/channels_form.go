package web

import (
	"fmt"
	"net/http"
	"slices"

	"zhendi/internal/channel"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// channelForm renders the 阵地 registration form (new or edit).
func (s *Server) channelForm(w http.ResponseWriter, r *http.Request, c *reqCtx, ch channel.Channel, f channel.Filing, status int, errMsg string) {
	ctx := r.Context()
	nodes, staff, err := s.unitPeople(ctx, ch.UnitID, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sites, err := s.st.Channels(ctx, c.scope, store.ChannelFilter{UnitID: ch.UnitID, Kind: channel.Portal})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	action, title := "/channels", "登记阵地"
	if ch.ID != 0 {
		action, title = fmt.Sprintf("/channels/%d", ch.ID), "修改阵地"
	}
	s.renderStatus(w, r, c, status, "channels_form", map[string]any{
		"Title": title, "Nav": "channels", "C": ch, "F": f, "Action": action, "Error": errMsg, "Staff": staff, "Nodes": nodes, "Sites": sites,
		"Kinds": channel.Kinds, "Classes": channel.Classes, "Statuses": channel.Statuses, "Methods": channel.Methods,
		"DefaultPattern": channel.DefaultDatePattern,
	})
}

func (s *Server) channelNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID := unitChoice(c, r)
	if !slices.Contains(c.scope.WriteUnits, unitID) {
		s.forbidden(w, r, c)
		return
	}
	kind := channel.Kind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = channel.Column
	}
	s.channelForm(w, r, c, channel.Channel{UnitID: unitID, Kind: kind, Status: channel.Running, ResponsibleID: c.user.ID}, channel.Filing{}, http.StatusOK, "")
}

func (s *Server) channelCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	ch := form.ChannelEntry(r.PostForm)
	ch.UnitID = form.ChannelUnit(r.PostForm)
	if !slices.Contains(c.scope.WriteUnits, ch.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	if err := s.svc.CreateChannel(r.Context(), c.actor(), c.scope, &ch); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.channelForm(w, r, c, ch, channel.Filing{}, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/%d?ok=created", ch.ID))
}

func (s *Server) channelEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ch, err := s.st.Channel(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !slices.Contains(c.scope.WriteUnits, ch.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	s.channelForm(w, r, c, ch, channel.Filing{}, http.StatusOK, "")
}

func (s *Server) channelUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	old, err := s.st.Channel(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if !slices.Contains(c.scope.WriteUnits, old.UnitID) {
		s.forbidden(w, r, c)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	ch := form.ChannelEntry(r.PostForm)
	f := form.ChannelFiling(r.PostForm)
	saved, err := s.svc.UpdateChannel(r.Context(), c.actor(), c.scope, old.ID, ch, f)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		ch.ID, ch.UnitID = old.ID, old.UnitID
		s.channelForm(w, r, c, ch, f, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/channels/%d?ok=saved", saved.ID))
}
