package form

import (
	"fmt"
	"net/url"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

// User reads the account form. Roles come as role_<role>_<orgID>=1 and
// only those at the given nodes (the ones the administrator manages) are
// taken, each with the node's unit and kind. ID is the caller's to set.
func User(v url.Values, nodes []org.Node) org.User {
	u := org.User{Username: v.Get("username"), Name: v.Get("name"), Title: v.Get("title"), Mobile: v.Get("mobile"),
		OrgID: ID(v, "org"), PartyMember: v.Get("party") == "1", Disabled: v.Get("disabled") == "1", Sort: Int(v, "sort")}
	for _, n := range nodes {
		for _, role := range access.Roles {
			if v.Get(fmt.Sprintf("role_%s_%d", role, n.ID)) == "1" {
				u.Grants = append(u.Grants, access.Grant{Role: role, OrgID: n.ID, UnitID: n.UnitID, Kind: n.Kind})
			}
		}
	}
	return u
}

// Node reads the form that adds a node (parent, kind, name, sort).
func Node(v url.Values) org.Node {
	return org.Node{ParentID: ID(v, "parent"), Kind: v.Get("kind"), Name: v.Get("name"), Sort: Int(v, "sort")}
}

// Security reads the security settings form.
func Security(v url.Values) access.Security {
	return access.Security{MaxFailures: Int(v, "max_failures"), LockMinutes: Int(v, "lock_minutes"),
		IdleMinutes: Int(v, "idle_minutes"), SessionHours: Int(v, "session_hours"), MinPasswordLen: Int(v, "min_password_len"),
		PasswordDays: Int(v, "password_days"), MergeAdmins: v.Get("merge_admins") == "1",
		MaxUploadMB: Int(v, "max_upload_mb"), NotifyHosts: v.Get("notify_hosts"),
		InternalRelays: v.Get("internal_relays")}
}
