package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/supervise"
)

// The 述职 subject's own fields from module 8 (考核问责, issue 19): the
// departments in his charge (分管), his items of the responsibility list
// (责任清单) and the 述职 record with its 民主测评. With them his 不足 and
// 打算 name his fields' shortfalls instead of stopping at his own
// obligations, and the report says how many list items he answers for.

// FieldSource is what a Source may also provide: a leader's fields. A
// Source without it builds the 述职 without them.
type FieldSource interface {
	LeaderFields(ctx context.Context, unitID, userID int64, year int) (LeaderFields, error)
}

// LeaderFields are one leader's fields for a year.
type LeaderFields struct {
	// Depts are the departments and branches in his charge.
	Depts []Dept
	// Duties are his items of the responsibility list (what).
	Duties []string
	// Debrief is his 述职 record of the year, nil when none is recorded.
	Debrief *DebriefRecord
}

// Dept is a department in a leader's charge.
type Dept struct {
	ID   int64
	Name string
}

// DebriefRecord is the 述职 meeting and its 民主测评.
type DebriefRecord struct {
	Date, Meeting             string
	Good, Fair, Average, Poor int
	FollowUps                 []string
}

// loadFields reads the subject's fields once, when the Source has them.
func (b *builder) loadFields() error {
	fs, ok := b.src.(FieldSource)
	if !ok || b.who == nil {
		return nil
	}
	year := 0
	fmt.Sscan(b.req.Period.From[:4], &year)
	f, err := fs.LeaderFields(b.ctx, b.unit.ID, b.who.ID, year)
	if err != nil {
		return fmt.Errorf("述职 fields: %w", err)
	}
	b.fields = &f
	return nil
}

// fieldGaps are the obligations of the departments and branches in the
// subject's charge that are behind at the end of the period.
func (b *builder) fieldGaps() []supervise.Gap {
	if b.fields == nil || len(b.fields.Depts) == 0 {
		return nil
	}
	var mine []supervise.Result
	for _, r := range b.results {
		if r.Deadline > b.req.Period.To {
			continue
		}
		if (r.Subject.Kind == supervise.SubjectDepartment || r.Subject.Kind == supervise.SubjectBranch) &&
			slices.ContainsFunc(b.fields.Depts, func(d Dept) bool { return d.ID == r.Subject.ID }) {
			mine = append(mine, r)
		}
	}
	return supervise.Gaps(mine, b.req.Period.To)
}

// deptNames joins the names of the departments in charge.
func (b *builder) deptNames() string {
	var s []string
	for _, d := range b.fields.Depts {
		s = append(s, d.Name)
	}
	return strings.Join(s, "、")
}

// fieldBlock is the 一岗双责 section: the departments in his charge and
// the number of his list items (nothing when he has neither).
func (b *builder) fieldBlock(n int) []Block {
	if b.fields == nil || (len(b.fields.Depts) == 0 && len(b.fields.Duties) == 0) {
		return nil
	}
	// The 第一责任人 answers for the whole unit, not by 一岗双责 (issue 23).
	first := b.conds["role_first"]
	var parts []string
	heading := "对照责任清单，逐项履行职责"
	if len(b.fields.Depts) > 0 {
		if first {
			parts = append(parts, "我分管"+b.deptNames()+"，把意识形态工作与业务工作一同部署、一同检查")
			heading = "抓好分管领域意识形态工作"
		} else {
			parts = append(parts, "我分管"+b.deptNames()+"，按照“一岗双责”要求，把意识形态工作与业务工作一同部署、一同检查")
			heading = "落实“一岗双责”，抓好分管领域"
		}
	}
	if len(b.fields.Duties) > 0 {
		parts = append(parts, fmt.Sprintf("对照本人意识形态工作责任清单%d项职责逐项落实", len(b.fields.Duties)))
	}
	if len(parts) > 0 && !strings.HasPrefix(parts[0], "我") {
		parts[0] = "我" + parts[0]
	}
	return []Block{{Key: fmt.Sprintf("auto.self.h%d", n+1), Style: "h2", Text: "（" + ordinal(n) + "）" + heading},
		{Key: fmt.Sprintf("auto.self.p%d", n+1), Style: "p", Text: strings.Join(parts, "；") + "。"}}
}

// fieldWeak are the 不足 of his fields: each department's obligation behind.
func (b *builder) fieldWeak() []string {
	var items []string
	for _, g := range b.fieldGaps() {
		items = append(items, fmt.Sprintf("对分管的%s督促不够，%s全年%s", g.Subject.Name, cn(g.Rule.Name), cn(g.Phrase())))
	}
	return items
}

// fieldPlan are the 打算 for his fields and, when recorded, the follow-up
// items of his 述职.
func (b *builder) fieldPlan(next string) []string {
	var items []string
	seen := map[string]bool{}
	for _, g := range b.fieldGaps() {
		k := g.Subject.Name + g.Rule.Name
		if seen[k] {
			continue
		}
		seen[k] = true
		items = append(items, fmt.Sprintf("%s年督促分管的%s按期落实%s", next, g.Subject.Name, cn(g.Rule.Name)))
	}
	if b.fields != nil && b.fields.Debrief != nil {
		for _, f := range b.fields.Debrief.FollowUps {
			items = append(items, strings.TrimRight(f, "。；;"))
		}
	}
	return items
}
