package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/supervise"
)

// Scorer measures one kind of automatic indicator for many units of one
// year: what the records say (counts, required, failures) and which records
// they are (assess.Ref, shown as links beside the score). The engine
// (ScoreUnits) calls Measure once per distinct (scorer, param) of a tree
// for all the units it scores, and turns measures into points by the
// indicator's rule (assess.Points); a scorer never computes points.
//
// Adding a data source is adding a Scorer: write a type with these methods
// in its own file (internal/service/assess_scorer_<name>.go) and append it
// in scorerSet below. Nothing else changes — the tree editor lists it, the
// engine calls it, the pages and the 通报 show its records.
//
// Units without records (assess.ScoringRule): a scorer reports a due
// obligation with no record as not done — Required set, or, when nobody is
// registered to hold it (no leader, branch or channel), a Miss ref saying
// so and nothing judged, which the deduct and ratio rules score as zero.
// Only when the item genuinely does not apply this year (no rectification
// fell due, no opinion incident occurred) does it set Measure.NA with the
// reason.
type Scorer interface {
	Key() string
	// Label names the data source in the tree editor ("台账条数").
	Label() string
	// ParamHint says what Param means for this scorer ("" when it takes none).
	ParamHint() string
	// CheckParam validates an indicator's parameter (a user error).
	CheckParam(param string) error
	Measure(ctx context.Context, run *ScoreRun, param string) (map[int64]assess.Measure, error)
}

// ScoreRun is one scoring of many units for a year: the scope, the units,
// and what several scorers read, read once (the year's counted ledger
// entries of every type, the supervision judgement). A scorer asks the run
// instead of the store when it needs those.
type ScoreRun struct {
	Scope access.Scope
	Units []int64
	Year  int
	s     *Service
	acts  map[int64]map[string][]store.ActRef // unit → type → entries
	comp  map[int64]*supervise.UnitCompliance
}

func (s *Service) newRun(sc access.Scope, units []int64, year int) *ScoreRun {
	return &ScoreRun{Scope: sc, Units: units, Year: year, s: s}
}

// Activities are the year's counted ledger entries of one type, by unit.
func (r *ScoreRun) Activities(ctx context.Context, typ string) (map[int64][]store.ActRef, error) {
	if r.acts == nil {
		all, err := r.s.st.AssessActivities(ctx, r.Scope, r.Units, r.Year, nil)
		if err != nil {
			return nil, err
		}
		r.acts = map[int64]map[string][]store.ActRef{}
		for u, list := range all {
			byType := map[string][]store.ActRef{}
			for _, a := range list {
				byType[a.Type] = append(byType[a.Type], a)
			}
			r.acts[u] = byType
		}
	}
	out := make(map[int64][]store.ActRef, len(r.acts))
	for u, byType := range r.acts {
		out[u] = byType[typ]
	}
	return out, nil
}

// Compliance is the supervision judgement of the units for the year.
func (r *ScoreRun) Compliance(ctx context.Context) (map[int64]*supervise.UnitCompliance, error) {
	if r.comp == nil {
		c, err := r.s.Compliance(ctx, r.Scope, r.Units, r.Year)
		if err != nil {
			return nil, err
		}
		r.comp = c
	}
	return r.comp, nil
}

// scorerSet is every data source an indicator can be scored from.
func (s *Service) scorerSet() []Scorer {
	return []Scorer{
		ledgerCountScorer{s}, ledgerPeriodsScorer{s}, complianceScorer{s}, infoPointsScorer{s},
		rectTimelyScorer{s}, inclusionsScorer{s}, debriefsScorer{s}, casesScorer{s},
		channelScorer{s}, opinionScorer{s},
	}
}

// Scorers lists the data sources (the tree editor's choices).
func (s *Service) Scorers() []Scorer { return s.scorerSet() }

// scorer finds one by key.
func (s *Service) scorer(key string) (Scorer, bool) {
	for _, sc := range s.scorerSet() {
		if sc.Key() == key {
			return sc, true
		}
	}
	return nil, false
}

func scorerKeys(list []Scorer) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Key()
	}
	return out
}

func actRef(a store.ActRef) assess.Ref {
	return assess.Ref{Kind: "activity", ID: a.ID, Label: a.Date + " " + a.Title, Link: fmt.Sprintf("/ledger/%d", a.ID)}
}

func checkLedgerType(code string) error {
	if _, ok := ledger.TypeByCode(code); !ok {
		return apperr.Field("参数", "台账类型无效（如 "+ledger.TopicStudy+"）")
	}
	return nil
}

// ledgerCountScorer: entries of one ledger type in the year.
type ledgerCountScorer struct{ s *Service }

func (ledgerCountScorer) Key() string               { return assess.ScoreLedgerCount }
func (ledgerCountScorer) Label() string             { return "台账条数（某类活动全年条数）" }
func (ledgerCountScorer) ParamHint() string         { return "台账类型代码，如 analysis_report" }
func (ledgerCountScorer) CheckParam(p string) error { return checkLedgerType(p) }
func (x ledgerCountScorer) Measure(ctx context.Context, run *ScoreRun, param string) (map[int64]assess.Measure, error) {
	units, year := run.Units, run.Year
	acts, err := run.Activities(ctx, param)
	if err != nil {
		return nil, err
	}
	t, _ := ledger.TypeByCode(param)
	out := map[int64]assess.Measure{}
	for _, u := range units {
		m := assess.Measure{Count: len(acts[u]), Note: fmt.Sprintf("%d年%s%d%s", year, t.ShortLabel(), len(acts[u]), t.Unit)}
		for _, a := range acts[u] {
			m.Refs = append(m.Refs, actRef(a))
		}
		out[u] = m
	}
	return out, nil
}

// ledgerPeriodsScorer: how many months, quarters or half-years of the year
// have at least one entry of a type ("中心组学习 4 of 4 quarters").
type ledgerPeriodsScorer struct{ s *Service }

func (ledgerPeriodsScorer) Key() string   { return assess.ScoreLedgerPeriods }
func (ledgerPeriodsScorer) Label() string { return "按期开展（有记录的月/季/半年数）" }
func (ledgerPeriodsScorer) ParamHint() string {
	return "台账类型代码、英文冒号和周期（month、quarter 或 half），如 central_group:quarter"
}
func (ledgerPeriodsScorer) CheckParam(p string) error {
	typ, per, ok := strings.Cut(p, ":")
	if !ok || !slices.Contains([]string{"month", "quarter", "half"}, per) {
		return apperr.Field("参数", "格式为台账类型代码、英文冒号和周期（month、quarter 或 half）")
	}
	return checkLedgerType(typ)
}

func periodOf(per, date string) (int, int) { // index, count
	var m int
	fmt.Sscanf(date[5:7], "%d", &m)
	switch per {
	case "quarter":
		return (m - 1) / 3, 4
	case "half":
		return (m - 1) / 6, 2
	}
	return m - 1, 12
}

func periodName(per string, i int) string {
	switch per {
	case "quarter":
		return fmt.Sprintf("第%s季度", []string{"一", "二", "三", "四"}[i])
	case "half":
		return []string{"上半年", "下半年"}[i]
	}
	return fmt.Sprintf("%d月", i+1)
}

func (x ledgerPeriodsScorer) Measure(ctx context.Context, run *ScoreRun, param string) (map[int64]assess.Measure, error) {
	units := run.Units
	typ, per, _ := strings.Cut(param, ":")
	acts, err := run.Activities(ctx, typ)
	if err != nil {
		return nil, err
	}
	t, _ := ledger.TypeByCode(typ)
	_, n := periodOf(per, "2000-01-01")
	out := map[int64]assess.Measure{}
	for _, u := range units {
		seen := make([]bool, n)
		m := assess.Measure{Required: n}
		for _, a := range acts[u] {
			i, _ := periodOf(per, a.Date)
			if !seen[i] {
				seen[i] = true
				m.Count++
			}
			m.Refs = append(m.Refs, actRef(a))
		}
		var missing []string
		for i, ok := range seen {
			if !ok {
				missing = append(missing, periodName(per, i))
				m.Refs = append(m.Refs, assess.Ref{Kind: "period", Label: periodName(per, i) + "无" + t.ShortLabel(), Miss: true})
			}
		}
		m.Note = fmt.Sprintf("%d个期间中%d个有%s", n, m.Count, t.ShortLabel())
		if len(missing) > 0 {
			m.Note += "，缺" + strings.Join(missing, "、")
		}
		out[u] = m
	}
	return out, nil
}

// complianceScorer: periods of supervision rules missed or overdue
// (supervise.Evaluate through Service.Compliance, the same judgement as the
// 督导 dashboard and 通报).
type complianceScorer struct{ s *Service }

func (complianceScorer) Key() string   { return assess.ScoreCompliance }
func (complianceScorer) Label() string { return "督导义务（未完成的期次）" }
func (complianceScorer) ParamHint() string {
	return "督导规则代码，多个用逗号分隔，如 central_group 或 branch_congress,party_group；空为全部"
}
func (complianceScorer) CheckParam(p string) error {
	if strings.ContainsAny(p, " ；;") {
		return apperr.Field("参数", "规则代码用英文逗号分隔，不含空格")
	}
	return nil
}

func (x complianceScorer) Measure(ctx context.Context, run *ScoreRun, param string) (map[int64]assess.Measure, error) {
	units := run.Units
	all, err := run.Compliance(ctx)
	if err != nil {
		return nil, err
	}
	var keys []string
	if param != "" {
		keys = strings.Split(param, ",")
	}
	out := map[int64]assess.Measure{}
	for _, u := range units {
		uc := all[u]
		m := assess.Measure{}
		upcoming := 0
		if uc != nil {
			for _, r := range uc.Results {
				if len(keys) > 0 && !slices.Contains(keys, r.Rule.Key) {
					continue
				}
				if r.Status == supervise.Upcoming {
					upcoming++
					continue
				}
				m.Required++
				label := fmt.Sprintf("%s %s %s：%d/%d（%s）", r.Period.Label, r.Subject.Name, r.Rule.Name, r.Count, r.Required, r.Status.Label())
				switch {
				case r.Status == supervise.Done:
					m.Count++
					m.Refs = append(m.Refs, assess.Ref{Kind: "rule", Label: label, Link: r.Link()})
				case r.Status == supervise.Missed || r.Status == supervise.Overdue:
					m.Failures++
					m.Refs = append(m.Refs, assess.Ref{Kind: "rule", Label: label, Link: r.Link(), Miss: true})
				}
			}
		}
		switch {
		case m.Required > 0:
			m.Note = fmt.Sprintf("应%d期，按期完成%d期，未完成%d期", m.Required, m.Count, m.Failures)
		case upcoming > 0:
			m.NA = "本年度尚无到期的期次"
			m.Note = m.NA
		default:
			// No subject holds the obligation: the unit has not registered
			// the leaders or branches it binds. Not "nothing to judge".
			m.Note = "没有可核对的期次：" + missingSubjects(uc, keys) + "，按未完成计0分"
			m.Refs = append(m.Refs, assess.Ref{Kind: "rule", Label: m.Note, Link: "/admin/org", Miss: true})
		}
		out[u] = m
	}
	return out, nil
}

// infoPointsScorer: publication and adoption points of the year.
type infoPointsScorer struct{ s *Service }

func (infoPointsScorer) Key() string               { return assess.ScoreInfoPoints }
func (infoPointsScorer) Label() string             { return "信息报送得分（发布、采用计分）" }
func (infoPointsScorer) ParamHint() string         { return "" }
func (infoPointsScorer) CheckParam(p string) error { return noParam(p) }
func (x infoPointsScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	units := run.Units
	pts, err := x.s.st.AssessInfoPoints(ctx, run.Scope, units, run.Year)
	if err != nil {
		return nil, err
	}
	out := map[int64]assess.Measure{}
	for _, u := range units {
		m := assess.Measure{}
		for _, p := range pts[u] {
			m.Count += p.Points
			m.Refs = append(m.Refs, assess.Ref{Kind: "info", ID: p.DraftID, Label: fmt.Sprintf("%s（%d分）", p.Title, p.Points), Link: fmt.Sprintf("/info/%d", p.DraftID)})
		}
		m.Note = fmt.Sprintf("%d篇信息发布或采用，共%d分", len(pts[u]), m.Count)
		out[u] = m
	}
	return out, nil
}

// rectTimelyScorer: rectification items due in the year and closed by
// their deadline.
type rectTimelyScorer struct{ s *Service }

func (rectTimelyScorer) Key() string               { return assess.ScoreRectTimely }
func (rectTimelyScorer) Label() string             { return "整改按期销号" }
func (rectTimelyScorer) ParamHint() string         { return "" }
func (rectTimelyScorer) CheckParam(p string) error { return noParam(p) }
func (x rectTimelyScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	units := run.Units
	rs, err := x.s.st.AssessRects(ctx, run.Scope, units, run.Year)
	if err != nil {
		return nil, err
	}
	out := map[int64]assess.Measure{}
	for _, u := range units {
		m := assess.Measure{Required: len(rs[u])}
		for _, r := range rs[u] {
			onTime := r.ClosedOn != "" && r.ClosedOn <= r.Deadline
			label := r.Title + "（期限" + r.Deadline
			switch {
			case onTime:
				label += "，" + r.ClosedOn + "销号）"
				m.Count++
			case r.ClosedOn != "":
				label += "，逾期至" + r.ClosedOn + "销号）"
				m.Failures++
			default:
				label += "，未销号）"
				m.Failures++
			}
			m.Refs = append(m.Refs, assess.Ref{Kind: "rect", ID: r.ID, Label: label, Link: fmt.Sprintf("/supervise/rect/%d", r.ID), Miss: !onTime})
		}
		if m.Required == 0 {
			// Nothing fell due: the item does not apply (and leaves the full
			// marks), rather than giving full marks for nothing.
			m.NA = "全年没有到期的整改事项"
			m.Note = m.NA + "，不适用"
		} else {
			m.Note = fmt.Sprintf("到期%d项，按期销号%d项", m.Required, m.Count)
		}
		out[u] = m
	}
	return out, nil
}

// inclusionsScorer: 五个纳入 confirmed with evidence.
type inclusionsScorer struct{ s *Service }

func (inclusionsScorer) Key() string               { return assess.ScoreInclusions }
func (inclusionsScorer) Label() string             { return "“五个纳入”确认项数" }
func (inclusionsScorer) ParamHint() string         { return "" }
func (inclusionsScorer) CheckParam(p string) error { return noParam(p) }
func (x inclusionsScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	units, year := run.Units, run.Year
	all, err := x.s.st.Inclusions(ctx, run.Scope, units, year)
	if err != nil {
		return nil, err
	}
	out := map[int64]assess.Measure{}
	for _, u := range units {
		m := assess.Measure{Required: len(assess.Inclusions)}
		done := map[string]bool{}
		for _, in := range all[u] {
			done[in.Key] = in.Done
		}
		for _, k := range assess.Inclusions {
			link := fmt.Sprintf("/assess/inclusions?unit=%d&year=%d", u, year)
			if done[k.Key] {
				m.Count++
				m.Refs = append(m.Refs, assess.Ref{Kind: "inclusion", Label: "已纳入" + k.Label, Link: link})
			} else {
				m.Refs = append(m.Refs, assess.Ref{Kind: "inclusion", Label: "未确认纳入" + k.Label, Link: link, Miss: true})
			}
		}
		m.Note = fmt.Sprintf("五项中已确认%d项", m.Count)
		out[u] = m
	}
	return out, nil
}

// debriefsScorer: leaders with a 述职 record for the year.
type debriefsScorer struct{ s *Service }

func (debriefsScorer) Key() string               { return assess.ScoreDebriefs }
func (debriefsScorer) Label() string             { return "班子成员述职记录" }
func (debriefsScorer) ParamHint() string         { return "" }
func (debriefsScorer) CheckParam(p string) error { return noParam(p) }
func (x debriefsScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	units := run.Units
	leaders, err := x.s.st.AssessLeaders(ctx, units)
	if err != nil {
		return nil, err
	}
	ds, err := x.s.st.Debriefs(ctx, run.Scope, units, run.Year)
	if err != nil {
		return nil, err
	}
	by := map[int64]assess.Debrief{}
	for _, d := range ds {
		by[d.UserID] = d
	}
	out := map[int64]assess.Measure{}
	for _, u := range units {
		m := assess.Measure{Required: len(leaders[u])}
		for _, id := range leaders[u] {
			if d, ok := by[id]; ok {
				m.Count++
				m.Refs = append(m.Refs, assess.Ref{Kind: "debrief", ID: d.ID, Label: d.UserName + " " + d.Date + " " + d.Meeting, Link: fmt.Sprintf("/assess/debriefs/%d", d.ID)})
			}
		}
		m.Note = fmt.Sprintf("班子成员%d人，已述职%d人", m.Required, m.Count)
		if m.Required == 0 {
			m.Note = "本单位未登记班子成员，述职无从核对，按未完成计0分"
			m.Refs = append(m.Refs, assess.Ref{Kind: "debrief", Label: m.Note, Link: "/admin/org", Miss: true})
		}
		out[u] = m
	}
	return out, nil
}

// casesScorer: accountability decisions of the year that count in the
// assessment (assess.Case.Counts). The refs name the case, not the
// persons: the assessment page is read by more roles than the case.
type casesScorer struct{ s *Service }

func (casesScorer) Key() string               { return assess.ScoreCases }
func (casesScorer) Label() string             { return "被问责（计入考核的问责决定）" }
func (casesScorer) ParamHint() string         { return "" }
func (casesScorer) CheckParam(p string) error { return noParam(p) }
func (x casesScorer) Measure(ctx context.Context, run *ScoreRun, _ string) (map[int64]assess.Measure, error) {
	units, year := run.Units, run.Year
	cs, err := x.s.st.CasesForScoring(ctx, units, year)
	if err != nil {
		return nil, err
	}
	out := map[int64]assess.Measure{}
	for _, c := range cs {
		if !c.Counts(year) {
			continue
		}
		m := out[c.UnitID]
		m.Failures++
		m.Refs = append(m.Refs, assess.Ref{Kind: "case", ID: c.ID, Label: fmt.Sprintf("问责决定（%s，%s）", c.Dates[4], c.Method), Link: fmt.Sprintf("/assess/cases/%d", c.ID), Miss: true})
		out[c.UnitID] = m
	}
	for _, u := range units {
		m := out[u]
		m.Note = fmt.Sprintf("计入考核的问责决定%d件", m.Failures)
		out[u] = m
	}
	return out, nil
}

// missingSubjects says which subjects of the rules (keys; all when empty)
// the unit has not registered: the leaders a lecture rule binds, the
// branches of 三会一课.
func missingSubjects(uc *supervise.UnitCompliance, keys []string) string {
	if uc == nil {
		return "本单位没有适用的督导规则"
	}
	have := map[string]int{supervise.SubjectUnit: 1, supervise.SubjectLeader: len(uc.Unit.Leaders),
		supervise.SubjectBranch: len(uc.Unit.Branches), supervise.SubjectDepartment: len(uc.Unit.Departments)}
	var miss []string
	for _, l := range uc.Lines {
		if len(keys) > 0 && !slices.Contains(keys, l.Key) {
			continue
		}
		if k := l.Rule.Subject; have[k] == 0 {
			name := map[string]string{supervise.SubjectLeader: "班子成员", supervise.SubjectBranch: "党支部", supervise.SubjectDepartment: "科室"}[k]
			if name != "" && !slices.Contains(miss, name) {
				miss = append(miss, name)
			}
		}
	}
	if len(miss) == 0 {
		return "本单位没有适用的督导规则"
	}
	return "本单位未登记" + strings.Join(miss, "、")
}

func noParam(p string) error {
	if strings.TrimSpace(p) != "" {
		return apperr.Field("参数", "此数据来源不需要参数")
	}
	return nil
}
