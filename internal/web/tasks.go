package web

import "net/http"

// tasksPage is 待办: every workflow step waiting for the user, each with a
// link to where it is done (service.Tasks). The top bar shows the count.
func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	tasks, err := s.svc.Tasks(r.Context(), c.user, c.scope)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "tasks", map[string]any{"Title": "待办", "Tasks": tasks})
}
