package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"zhendi/internal/sso"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// adminUnits are the units whose users and tree the caller manages.
func adminUnits(c *reqCtx) []int64 { return c.scope.AdminUnits }

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderOrg(w, r, c, http.StatusOK, "")
}

func (s *Server) renderOrg(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	if len(adminUnits(c)) == 0 && len(c.scope.AdminDistricts) == 0 {
		s.forbidden(w, r, c)
		return
	}
	all, err := s.st.Nodes(r.Context(), adminUnits(c), len(c.scope.AdminDistricts) > 0)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// Only the districts this administrator manages, not every district.
	var nodes []org.Node
	for _, n := range all {
		if n.Kind != org.District || slices.Contains(c.scope.AdminDistricts, n.ID) {
			nodes = append(nodes, n)
		}
	}
	s.renderStatus(w, r, c, status, "admin_org", map[string]any{"Title": "组织机构", "Nav": "admin", "Nodes": nodes, "Error": errMsg})
}

// orgCreate adds a department or branch under a unit the caller manages,
// or a unit under a district the caller manages.
func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	n := form.Node(r.PostForm)
	if err := s.svc.AdminCreateNode(r.Context(), c.actor(), c.scope, &n); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderOrg(w, r, c, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, "/admin/org?ok=saved")
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	n := form.Node(r.PostForm)
	if err := s.svc.AdminRenameNode(r.Context(), c.actor(), c.scope, formID(r.PathValue("id")), n.Name, n.Sort); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderOrg(w, r, c, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, "/admin/org?ok=saved")
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(adminUnits(c)) == 0 {
		s.forbidden(w, r, c)
		return
	}
	users, err := s.st.Users(r.Context(), adminUnits(c), true)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	list, err := s.st.Nodes(r.Context(), adminUnits(c), false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes := map[int64]org.Node{}
	var units []org.Node
	for _, n := range list {
		nodes[n.ID] = n
		if n.Kind == org.Unit {
			units = append(units, n)
		}
	}
	q := parseUserQuery(r.URL.Query())
	rows := filterUsers(users, nodes, q)
	s.render(w, r, c, "admin_users", map[string]any{"Title": "用户管理", "Nav": "admin", "Users": rows, "All": len(users),
		"Q": q, "Nodes": list, "Units": units, "Roles": access.Roles})
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request, c *reqCtx, u org.User, status int, errMsg string) {
	nodes, err := s.st.Nodes(r.Context(), adminUnits(c), false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	granted := map[string]bool{}
	for _, g := range u.Grants {
		granted[fmt.Sprintf("%s@%d", g.Role, g.OrgID)] = true
	}
	action, title := "/admin/users", "新增用户"
	if u.ID != 0 {
		action, title = fmt.Sprintf("/admin/users/%d", u.ID), "编辑用户 "+u.Name
	}
	var providers []sso.Provider
	bound := map[int64]string{}
	if u.ID != 0 {
		if providers, err = s.st.SSOProviders(r.Context(), false); err == nil {
			bound, err = s.st.SSOBindingsOf(r.Context(), u.ID)
		}
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
	}
	s.renderStatus(w, r, c, status, "admin_user", map[string]any{"Title": title, "Nav": "admin", "U": u, "Nodes": nodes, "SSO": providers, "Bound": bound,
		"Roles": org.GrantableRoles(), "Granted": granted, "Action": action, "Error": errMsg, "Kept": keptAdminRoles(u),
		"Self": u.ID != 0 && u.ID == c.user.ID, "Hint": org.PasswordHint(c.security.MinPasswordLen)})
}

// keptAdminRoles describes the 审计管理员 and 安全保密管理员 roles of u, which
// the system administrator's form shows but cannot change.
func keptAdminRoles(u org.User) []string {
	var out []string
	for _, g := range u.Grants {
		if g.Role == access.Auditor || g.Role == access.SecAdmin {
			out = append(out, g.Role.Label())
		}
	}
	return out
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(adminUnits(c)) == 0 {
		s.forbidden(w, r, c)
		return
	}
	s.userForm(w, r, c, org.User{PartyMember: true}, http.StatusOK, "")
}

// parseUser reads the user form; roles are taken only at nodes the caller
// manages.
func (s *Server) parseUser(r *http.Request, c *reqCtx) (org.User, error) {
	nodes, err := s.st.Nodes(r.Context(), adminUnits(c), false)
	if err != nil {
		return org.User{}, err
	}
	return form.User(r.PostForm, nodes), nil
}

// userError shows the user form again with a user error, or the error page.
func (s *Server) userError(w http.ResponseWriter, r *http.Request, c *reqCtx, u org.User, err error) {
	msg, ok := s.userMessage(w, r, c, err)
	if !ok {
		return
	}
	s.userForm(w, r, c, u, http.StatusUnprocessableEntity, msg)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(adminUnits(c)) == 0 {
		s.forbidden(w, r, c)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	u, err := s.parseUser(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.AdminCreateUser(r.Context(), c.actor(), c.scope, &u, r.PostForm.Get("password")); err != nil {
		s.userError(w, r, c, u, err)
		return
	}
	redirect(w, r, "/admin/users?ok=saved")
}

func (s *Server) managedUser(w http.ResponseWriter, r *http.Request, c *reqCtx) (org.User, bool) {
	u, err := s.st.User(r.Context(), formID(r.PathValue("id")))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !c.scope.CanAdmin(u.UnitID)) {
		s.httpError(w, r, c, store.ErrNotFound)
		return u, false
	} else if err != nil {
		s.httpError(w, r, c, err)
		return u, false
	}
	return u, true
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	u, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	s.userForm(w, r, c, u, http.StatusOK, "")
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	old, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	u, err := s.parseUser(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	u.ID = old.ID
	if err := s.svc.AdminUpdateUser(r.Context(), c.actor(), c.scope, &u); err != nil {
		s.userError(w, r, c, u, err)
		return
	}
	redirect(w, r, "/admin/users?ok=saved")
}

func (s *Server) userReset(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	u, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	if err := s.svc.AdminResetPassword(r.Context(), c.actor(), c.scope, u.ID, r.PostForm.Get("password")); err != nil {
		s.userError(w, r, c, u, err)
		return
	}
	redirect(w, r, "/admin/users?ok=reset")
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	u, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	if err := s.svc.AdminUnlock(r.Context(), c.actor(), c.scope, u.ID); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/admin/users?ok=unlocked")
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.Security {
		s.forbidden(w, r, c)
		return
	}
	sec, err := s.st.SecuritySettings(r.Context())
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "admin_security", map[string]any{"Title": "安全设置", "Nav": "admin", "S": sec, "Edit": c.scope.InstallSecurity})
}

// securitySave changes the installation-wide settings: only the
// installation's 安全保密管理员 may (a unit's sees them read-only).
func (s *Server) securitySave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.InstallSecurity {
		s.forbidden(w, r, c)
		return
	}
	if !s.readForm(w, r, c) {
		return
	}
	sec := form.Security(r.PostForm)
	if err := s.svc.SetSecuritySettings(r.Context(), c.actor(), c.scope, sec); err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "admin_security", map[string]any{"Title": "安全设置", "Nav": "admin", "S": sec, "Error": msg, "Edit": true})
		return
	}
	redirect(w, r, "/admin/security?ok=saved")
}
