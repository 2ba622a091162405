package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/org"
	"zhendi/internal/store"
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
	parent, err := s.st.Node(r.Context(), formID(r.FormValue("parent")))
	allowed := err == nil && ((parent.Kind == org.Unit && c.scope.CanAdmin(parent.UnitID)) ||
		(parent.Kind == org.District && slices.Contains(c.scope.AdminDistricts, parent.ID)))
	if !allowed {
		s.renderOrg(w, r, c, http.StatusUnprocessableEntity, "上级组织: 无效或无权管理")
		return
	}
	n := org.Node{ParentID: parent.ID, Kind: r.FormValue("kind"), Name: r.FormValue("name"), Sort: formInt(r.FormValue("sort"))}
	if !org.ChildKindOK(parent.Kind, n.Kind) {
		s.renderOrg(w, r, c, http.StatusUnprocessableEntity, "类型: "+org.KindLabel(parent.Kind)+"下不能新增"+org.KindLabel(n.Kind))
		return
	}
	if err := s.st.CreateNode(r.Context(), c.actor(), &n); err != nil {
		s.renderOrg(w, r, c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, "/admin/org?ok=saved")
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	n, err := s.st.Node(r.Context(), formID(r.PathValue("id")))
	if err != nil || !c.scope.CanAdmin(n.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if err := s.st.RenameNode(r.Context(), c.actor(), n.ID, r.FormValue("name"), formInt(r.FormValue("sort"))); err != nil {
		s.renderOrg(w, r, c, http.StatusUnprocessableEntity, err.Error())
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
	s.render(w, r, c, "admin_users", map[string]any{"Title": "用户管理", "Nav": "admin", "Users": users})
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
	s.renderStatus(w, r, c, status, "admin_user", map[string]any{"Title": title, "Nav": "admin", "U": u, "Nodes": nodes,
		"Roles": access.Roles, "Granted": granted, "Action": action, "Error": errMsg})
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(adminUnits(c)) == 0 {
		s.forbidden(w, r, c)
		return
	}
	s.userForm(w, r, c, org.User{PartyMember: true}, http.StatusOK, "")
}

// parseUser reads the user form; roles come as role_<role>_<orgID>=1 and
// only nodes the caller manages are accepted.
func (s *Server) parseUser(r *http.Request, c *reqCtx) (org.User, error) {
	r.ParseForm()
	u := org.User{Username: r.PostForm.Get("username"), Name: r.PostForm.Get("name"), Title: r.PostForm.Get("title"),
		OrgID: formID(r.PostForm.Get("org")), PartyMember: r.PostForm.Get("party") == "1", Disabled: r.PostForm.Get("disabled") == "1",
		Sort: formInt(r.PostForm.Get("sort"))}
	home, err := s.st.Node(r.Context(), u.OrgID)
	if err != nil || !c.scope.CanAdmin(home.UnitID) {
		return u, apperr.Field("所在部门", "无效或无权管理")
	}
	nodes, err := s.st.Nodes(r.Context(), adminUnits(c), false)
	if err != nil {
		return u, err
	}
	for _, n := range nodes {
		for _, role := range access.Roles {
			if r.PostForm.Get(fmt.Sprintf("role_%s_%d", role, n.ID)) == "1" {
				u.Grants = append(u.Grants, access.Grant{Role: role, OrgID: n.ID, UnitID: n.UnitID, Kind: n.Kind})
			}
		}
	}
	return u, nil
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(adminUnits(c)) == 0 {
		s.forbidden(w, r, c)
		return
	}
	u, err := s.parseUser(r, c)
	if err == nil {
		u.MustChange = true
		err = s.st.CreateUser(r.Context(), c.actor(), &u, r.PostForm.Get("password"))
	}
	if err != nil {
		s.userForm(w, r, c, u, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, "/admin/users?ok=saved")
}

func (s *Server) managedUser(w http.ResponseWriter, r *http.Request, c *reqCtx) (org.User, bool) {
	u, err := s.st.User(r.Context(), formID(r.PathValue("id")))
	if err != nil || !c.scope.CanAdmin(u.UnitID) {
		s.httpError(w, r, c, store.ErrNotFound)
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
	u, err := s.parseUser(r, c)
	u.ID = old.ID
	if err == nil && u.ID == c.user.ID && !hasRole(u.Grants, access.SysAdmin) {
		err = apperr.Field("角色", "不能取消自己的系统管理员角色")
	}
	if err == nil {
		err = s.st.UpdateUser(r.Context(), c.actor(), &u)
	}
	if err != nil {
		s.userForm(w, r, c, u, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, "/admin/users?ok=saved")
}

func hasRole(gs []access.Grant, role access.Role) bool {
	for _, g := range gs {
		if g.Role == role {
			return true
		}
	}
	return false
}

func (s *Server) userReset(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	u, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	if err := s.st.SetPassword(r.Context(), c.actor(), u.ID, r.FormValue("password"), true); err != nil {
		s.userForm(w, r, c, u, http.StatusUnprocessableEntity, err.Error())
		return
	}
	redirect(w, r, "/admin/users?ok=reset")
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	u, ok := s.managedUser(w, r, c)
	if !ok {
		return
	}
	if err := s.st.Unlock(r.Context(), c.actor(), u.ID); err != nil {
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
	s.render(w, r, c, "admin_security", map[string]any{"Title": "安全设置", "Nav": "admin", "S": sec})
}

func (s *Server) securitySave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.Security {
		s.forbidden(w, r, c)
		return
	}
	sec := store.Security{MaxFailures: formInt(r.FormValue("max_failures")), LockMinutes: formInt(r.FormValue("lock_minutes")),
		IdleMinutes: formInt(r.FormValue("idle_minutes")), MaxUploadMB: formInt(r.FormValue("max_upload_mb")),
		NotifyHosts: r.FormValue("notify_hosts")}
	if err := s.st.SetSecuritySettings(r.Context(), c.actor(), sec); err != nil {
		s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "admin_security", map[string]any{"Title": "安全设置", "Nav": "admin", "S": sec, "Error": err.Error()})
		return
	}
	redirect(w, r, "/admin/security?ok=saved")
}

// auditPage is the read-only audit log of the 审计管理员.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if len(c.scope.AuditUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	entries, err := s.st.ListAudit(r.Context(), store.AuditFilter{OrgIDs: c.scope.AuditUnits, Global: true,
		Action: q.Get("action"), BeforeID: before, Limit: 100})
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var next int64
	if len(entries) == 100 {
		next = entries[len(entries)-1].ID
	}
	s.render(w, r, c, "audit", map[string]any{"Title": "审计日志", "Nav": "audit", "Entries": entries, "Next": next, "Action": q.Get("action")})
}
