package web

import (
	"net/url"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

// userRow is one line of the user list: the user and each role named with
// the node it is held at ("科室负责人（办公室）").
type userRow struct {
	org.User
	UnitName string
	Roles    []string
}

// userQuery is the user list's search and filters: a bureau of several
// hundred staff is found by name or login, unit, department and role.
type userQuery struct {
	Q      string
	Unit   int64
	Org    int64
	Role   access.Role
	Active bool // hide disabled accounts
}

func parseUserQuery(v url.Values) userQuery {
	return userQuery{Q: strings.TrimSpace(v.Get("q")), Unit: formID(v.Get("unit")), Org: formID(v.Get("org")),
		Role: access.Role(v.Get("role")), Active: v.Get("active") == "1"}
}

// filterUsers applies q to users; nodes names every node the admin sees.
func filterUsers(users []org.User, nodes map[int64]org.Node, q userQuery) []userRow {
	var out []userRow
	for _, u := range users {
		if q.Q != "" && !strings.Contains(u.Name, q.Q) && !strings.Contains(strings.ToLower(u.Username), strings.ToLower(q.Q)) && !strings.Contains(u.Title, q.Q) {
			continue
		}
		if q.Unit != 0 && u.UnitID != q.Unit {
			continue
		}
		if q.Org != 0 && u.OrgID != q.Org {
			continue
		}
		if q.Active && u.Disabled {
			continue
		}
		row := userRow{User: u, UnitName: nodes[u.UnitID].Name}
		match := q.Role == ""
		for _, g := range u.Grants {
			label := g.Role.Label()
			if n, ok := nodes[g.OrgID]; ok {
				label += "（" + n.Name + "）"
			}
			row.Roles = append(row.Roles, label)
			match = match || g.Role == q.Role
		}
		if match {
			out = append(out, row)
		}
	}
	return out
}
