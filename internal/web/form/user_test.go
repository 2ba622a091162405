package form

import (
	"net/url"
	"reflect"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

func TestUser(t *testing.T) {
	managed := []org.Node{{ID: 1, UnitID: 1, Kind: org.Unit}, {ID: 3, UnitID: 1, Kind: org.Department}}
	v := url.Values{"username": {"zhaoxx"}, "name": {"赵某"}, "title": {"科员"}, "org": {"3"}, "party": {"1"}, "disabled": {"0"},
		"sort": {"2"}, "role_clerk_1": {"1"}, "role_dept_head_3": {"1"}, "role_member_3": {"0"},
		"role_sysadmin_9": {"1"}, // a node the administrator does not manage: ignored
	}
	want := org.User{Username: "zhaoxx", Name: "赵某", Title: "科员", OrgID: 3, PartyMember: true, Sort: 2,
		Grants: []access.Grant{{Role: access.Clerk, OrgID: 1, UnitID: 1, Kind: org.Unit}, {Role: access.DeptHead, OrgID: 3, UnitID: 1, Kind: org.Department}}}
	if got := User(v, managed); !reflect.DeepEqual(got, want) {
		t.Fatalf("User =\n%+v\nwant\n%+v", got, want)
	}
	if u := User(url.Values{"disabled": {"1"}}, nil); !u.Disabled || u.PartyMember || u.Grants != nil {
		t.Fatalf("disabled user: %+v", u)
	}
}

func TestNode(t *testing.T) {
	want := org.Node{ParentID: 1, Kind: org.Branch, Name: "第一支部", Sort: 3}
	if got := Node(url.Values{"parent": {"1"}, "kind": {"branch"}, "name": {"第一支部"}, "sort": {"３"}}); got != want {
		t.Fatalf("Node = %+v", got)
	}
}

func TestSecurity(t *testing.T) {
	v := url.Values{"max_failures": {"5"}, "lock_minutes": {"15"}, "idle_minutes": {"３０"}, "max_upload_mb": {"x"}, "notify_hosts": {"a.example, b"},
		"session_hours": {"12"}, "min_password_len": {"10"}, "password_days": {"90"}, "merge_admins": {"1"}}
	want := access.Security{MaxFailures: 5, LockMinutes: 15, IdleMinutes: 30, MaxUploadMB: 0, NotifyHosts: "a.example, b",
		SessionHours: 12, MinPasswordLen: 10, PasswordDays: 90, MergeAdmins: true}
	if got := Security(v); got != want {
		t.Fatalf("Security = %+v", got)
	}
}
