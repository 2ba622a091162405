package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestAdminManagesTreeAndUsers: the system administrator adds a department
// and a user with a role; the new user must change the password at first
// login; the administrator never sees ledger content; an administrator of
// unit B cannot touch unit A's users.
func TestAdminManagesTreeAndUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		admin := org.User{OrgID: f.unitA.ID, Username: "admina", Name: "管理员甲", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitA.ID}}}
		if err := svcOf(st).CreateUser(ctx, store.System, &admin, pw); err != nil {
			t.Fatal(err)
		}
		adminB := org.User{OrgID: f.unitB.ID, Username: "adminb", Name: "管理员乙", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitB.ID}}}
		if err := svcOf(st).CreateUser(ctx, store.System, &adminB, pw); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.mustLogin("admina")
		for _, page := range []string{"/ledger", "/leads", "/plan"} {
			if code, _ := c.get(page); code != http.StatusForbidden && code != http.StatusNotFound {
				t.Fatalf("admin opened %s: %d", page, code)
			}
		}
		code, _, _ := c.post("/admin/org", url.Values{"csrf": {c.csrf()}, "parent": {strconv.FormatInt(f.unitA.ID, 10)}, "kind": {"branch"}, "name": {"机关党支部"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create branch: %d", code)
		}
		_, page := c.get("/admin/org")
		if !strings.Contains(page, "机关党支部") {
			t.Fatal("new branch not listed")
		}
		form := url.Values{"csrf": {c.csrf()}, "name": {"赵信息员"}, "username": {"zhaoxx"}, "org": {strconv.FormatInt(f.deptA.ID, 10)},
			"party": {"1"}, "password": {"short"}, "role_info_officer_" + strconv.FormatInt(f.deptA.ID, 10): {"1"}}
		code, body, _ := c.post("/admin/users", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "密码：至少 8 位") {
			t.Fatalf("weak password accepted: %d", code)
		}
		form.Set("password", "Initial12345")
		if code, body, _ := c.post("/admin/users", form); code != http.StatusSeeOther {
			t.Fatalf("create user: %d %.500s", code, body)
		}
		_, users := c.get("/admin/users")
		if !strings.Contains(users, "赵信息员") || !strings.Contains(users, "信息员") {
			t.Fatal("new user not listed with role")
		}
		// The new user must change the password first.
		n := e.client()
		if code, _ := n.login("zhaoxx", "Initial12345"); code != http.StatusSeeOther {
			t.Fatalf("new user login: %d", code)
		}
		if code, _ := n.get("/ledger"); code != http.StatusSeeOther {
			t.Fatalf("must-change user reached the ledger: %d", code)
		}
		code, _, _ = n.post("/password", url.Values{"csrf": {n.csrf()}, "old": {"Initial12345"}, "new": {"Changed12345"}, "confirm": {"Changed12345"}})
		if code != http.StatusSeeOther {
			t.Fatalf("change password: %d", code)
		}
		if code, _ := n.get("/ledger"); code != http.StatusOK {
			t.Fatalf("ledger after password change: %d", code)
		}
		// Administrator of unit B cannot open unit A's user.
		b := e.client()
		b.mustLogin("adminb")
		u, _ := st.UserByUsername(ctx, "zhaoxx")
		if code, _ := b.get("/admin/users/" + strconv.FormatInt(u.ID, 10)); code != http.StatusNotFound {
			t.Fatalf("unit B admin opened unit A's user: %d", code)
		}
		code, _, _ = b.post("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/reset", url.Values{"csrf": {b.csrf()}, "password": {"Hacked123456"}})
		if code != http.StatusNotFound {
			t.Fatalf("unit B admin reset unit A's password: %d", code)
		}
	})
}
