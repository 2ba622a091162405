package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// Home page kinds: each role's first page shows what that role acts on.
const (
	homeLeader     = "leader"     // 第一责任人, 直接责任人, 班子成员: what waits for them, the lights, the trend
	homeClerk      = "clerk"      // 意识形态专干, 科室负责人: what is due, late records, open rectification
	homeInfo       = "info"       // 信息员: own drafts, returned items, the department's quota and points
	homeMember     = "member"     // 党员干部: attended, 心得体会, what they are asked to do
	homeSupervisor = "supervisor" // 上级督查: the district's units, worst first
)

// homeKind picks the first page of a user holding several roles: the
// most responsible role decides (a leader who is also a member sees the
// leader's page).
func homeKind(u org.User) string {
	has := func(roles ...access.Role) bool {
		for _, g := range u.Grants {
			if slices.Contains(roles, g.Role) {
				return true
			}
		}
		return false
	}
	switch {
	case has(access.Supervisor) && u.UnitID == 0:
		return homeSupervisor
	case has(access.FirstResp, access.DirectResp, access.LeaderMember):
		return homeLeader
	case has(access.Clerk, access.DeptHead):
		return homeClerk
	case has(access.Supervisor):
		return homeSupervisor
	case has(access.InfoOfficer):
		return homeInfo
	}
	return homeMember
}

// unitLights judges the unit's obligations for the year (the dashboard's
// lines), for the leader's and clerk's first pages.
func (s *Server) unitLights(ctx context.Context, sc access.Scope, unitID int64, year int) (*supervise.UnitCompliance, error) {
	if !slices.Contains(sc.ReadUnits, unitID) {
		return nil, nil
	}
	all, err := s.svc.Compliance(ctx, sc, []int64{unitID}, year)
	if err != nil {
		return nil, err
	}
	return all[unitID], nil
}

// dueWithin lists the unfinished results whose deadline is between today
// plus from and today plus to days, soonest first; those already passed
// are supervise.PastDue.
func dueWithin(uc *supervise.UnitCompliance, from, to int) []supervise.Result {
	if uc == nil {
		return nil
	}
	var out []supervise.Result
	for _, r := range uc.Results {
		if r.Status == supervise.Done || r.Status == supervise.Upcoming {
			continue
		}
		if r.DaysLeft >= from && r.DaysLeft <= to {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DaysLeft < out[j].DaysLeft })
	return out
}

// roleHome adds the role's own panels to the home page data.
func (s *Server) roleHome(r *http.Request, c *reqCtx, data map[string]any, unitID int64, year int) error {
	ctx := r.Context()
	kind := homeKind(c.user)
	data["Role"] = kind
	switch kind {
	case homeLeader, homeClerk:
		uc, err := s.unitLights(ctx, c.scope, unitID, year)
		if err != nil {
			return err
		}
		data["Lights"] = uc
		data["Year"] = year
		data["DueWeek"] = dueWithin(uc, 0, 7)
		data["DueMonth"] = dueWithin(uc, 8, 31)
		var overdue []supervise.Result // typed: the template takes its len
		if uc != nil {
			overdue = supervise.PastDue(uc.Results)
		}
		data["Overdue"] = overdue
		rects, err := s.st.Rects(ctx, c.scope, store.RectFilter{UnitID: unitID})
		if err != nil {
			return err
		}
		groups := supervise.GroupOpenRects(rects, s.today())
		open := 0
		for _, g := range groups {
			open += len(g.Items)
		}
		data["OpenRects"] = open
		data["RectGroups"] = groups
		data["Today"] = s.today()
		if kind == homeLeader {
			queue, err := s.st.ReviewQueue(ctx, c.scope, c.user.ID, c.user.Grants)
			if err != nil {
				return err
			}
			data["Queue"] = queue
			drafts, err := s.st.ReportDrafts(ctx, c.scope, unitID)
			if err != nil {
				return err
			}
			var pending []store.ReportDraft
			for _, d := range drafts {
				// A version saved by someone else and not yet approved waits
				// for a leader's signature.
				if d.Latest > d.ApprovedVersion {
					pending = append(pending, d)
				}
			}
			data["PendingReports"] = pending
			data["ShuzhiLink"] = "/reports/new?kind=shuzhi&period=" + strconv.Itoa(year) + "&unit=" + strconv.FormatInt(unitID, 10) + "&subject=" + strconv.FormatInt(c.user.ID, 10)
		}
	case homeInfo:
		mine, _, err := s.st.ListDrafts(ctx, c.scope, store.DraftFilter{Mine: true, PerPage: 0})
		if err != nil {
			return err
		}
		byState := map[infosub.Status]int{}
		var returned []infosub.Draft
		for _, d := range mine {
			byState[d.Status]++
			if d.Status == infosub.StatusReturned {
				returned = append(returned, d)
			}
		}
		var states []stateCount
		for _, st := range []infosub.Status{infosub.StatusDraft, infosub.StatusReview, infosub.StatusReturned, infosub.StatusApproved, infosub.StatusPublished, infosub.StatusWithdrawn} {
			states = append(states, stateCount{Status: st, N: byState[st], Link: "/info?mine=1&status=" + string(st)})
		}
		data["States"] = states
		data["Returned"] = returned
		// The month of the home page's period that is not in the future:
		// this month, or the period's last when it is past (the demo's 2023).
		month := s.now().In(cntime.Zone).Format("2006-01")
		if p := data["Period"].(ledger.Period); p.To[:7] < month {
			month = p.To[:7]
		}
		data["Month"] = month
		if infosub.CanReadBulletin(c.scope, c.user.UnitID) {
			b, err := s.st.InfoBulletin(ctx, c.scope, c.user.UnitID, month)
			if err != nil {
				return err
			}
			for _, row := range b.Rows {
				if row.OrgID == c.user.OrgID {
					data["DeptRow"] = row
				}
			}
			data["Bulletin"] = b
		}
	case homeSupervisor:
		if len(c.scope.ReadUnits) == 0 {
			return nil
		}
		ro, err := s.supRollupOf(ctx, c, r)
		if err != nil {
			return err
		}
		data["District"] = ro
		data["Charts"].(map[string]Chart)["district"] = districtRiskChart(ro)
	case homeMember:
		p := data["Period"].(ledger.Period)
		attended := ledger.Filter{UnitID: c.user.UnitID, From: p.From, To: p.To, PersonID: c.user.ID}
		n, err := s.st.CountActivities(ctx, c.scope, attended)
		if err != nil {
			return err
		}
		data["Attended"] = figure{Label: "参加的活动", Unit: "次", N: n, Filter: attended}
		xinde := ledger.Filter{UnitID: c.user.UnitID, From: p.From, To: p.To, LeadID: c.user.ID, Types: []string{ledger.Reflection}}
		n, err = s.st.CountActivities(ctx, c.scope, xinde)
		if err != nil {
			return err
		}
		data["Xinde"] = figure{Label: "撰写的心得体会", Unit: "篇", N: n, Filter: xinde}
		recent := attended
		recent.PerPage = 8
		list, _, err := s.st.ListActivities(ctx, c.scope, recent)
		if err != nil {
			return err
		}
		data["Recent"] = list
		notes, _, err := s.st.Notifications(ctx, c.user.ID, 8)
		if err != nil {
			return err
		}
		data["Notes"] = notes
	}
	return nil
}

// stateCount is how many of the user's drafts are in one state.
type stateCount struct {
	Status infosub.Status
	N      int
	Link   string
}

// districtRiskChart is the supervisor's first chart: per unit, how many
// obligations are red and amber, worst unit on top; a bar opens the unit's
// dashboard.
func districtRiskChart(ro supRollup) Chart {
	c := Chart{ID: chartID("district"), Kind: ChartHBar, Title: strconv.Itoa(ro.Year) + "年各单位未落实的义务", Stacked: true, Unit: "项"}
	var red, amber []int
	var links []string
	for _, uc := range ro.Units {
		c.Categories = append(c.Categories, uc.Unit.Name)
		red = append(red, uc.Red)
		amber = append(amber, uc.Amber)
		links = append(links, "/supervise?unit="+strconv.FormatInt(uc.Unit.ID, 10)+"&year="+strconv.Itoa(ro.Year))
	}
	c.AddSeries("逾期或未完成", colorRed, red, links)
	c.AddSeries("有风险", colorAmber, amber, links)
	return c
}
