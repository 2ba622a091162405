package supervise

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
)

// Status of one obligation for one subject and period.
type Status int

// Statuses, from least to most severe.
const (
	Upcoming Status = iota // the period has not begun
	Done                   // the required number is reached
	OnTrack                // in progress, nothing to worry about yet
	AtRisk                 // deadline close or more than half the time gone with too little done
	Overdue                // deadline passed, records can still be entered (grace)
	Missed                 // deadline and grace passed, not done
)

// Label is the Chinese name of a status.
func (s Status) Label() string {
	return [...]string{"未开始", "已完成", "进行中", "有风险", "已逾期", "未完成"}[s]
}

// Color is the traffic light: green, amber, red (or grey for upcoming).
func (s Status) Color() string {
	switch s {
	case Done, OnTrack:
		return "green"
	case AtRisk:
		return "amber"
	case Overdue, Missed:
		return "red"
	}
	return "grey"
}

// Behind reports whether the status calls for action.
func (s Status) Behind() bool { return s >= AtRisk }

// PastDue reports whether the deadline has passed with the obligation
// unfinished (已逾期 in grace, or 未完成 after it): what every "已逾期"
// count of zhendi counts — the home page, 我的任务 and the 通报.
func (s Status) PastDue() bool { return s == Overdue || s == Missed }

// PastDue lists the results whose deadline has passed unfinished, the
// oldest deadline first, whatever how long ago.
func PastDue(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if r.Status.PastDue() {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Result) int { return strings.Compare(a.Deadline, b.Deadline) })
	return out
}

// Subject is one party an obligation binds: the unit, a department or
// branch (ID is the org id), or a leader (ID is the user id). Resp are the
// people to remind.
type Subject struct {
	Kind string
	ID   int64
	Name string
	Resp []int64
}

// Unit is what Evaluate needs to know about a unit's organisation.
type Unit struct {
	ID          int64
	Name        string
	Departments []Subject
	Branches    []Subject
	Leaders     []Subject
	// Resp are the unit-wide responsible people (意识形态专干) reminded for
	// unit obligations whose rule names nobody.
	Resp []int64
}

func (u Unit) subjects(kind string) []Subject {
	switch kind {
	case SubjectUnit:
		return []Subject{{Kind: SubjectUnit, ID: u.ID, Name: u.Name, Resp: u.Resp}}
	case SubjectDepartment:
		return u.Departments
	case SubjectBranch:
		return u.Branches
	case SubjectLeader:
		return u.Leaders
	}
	return nil
}

// Key addresses one monthly bucket of the ledger tally.
type Key struct {
	Org   int64 // organising node; 0 when counting by lead
	Lead  int64 // lead person; 0 when counting by org
	Type  string
	Topic string // "" for all entries; a topic code for entries carrying it
	Month int    // 1..12
}

// Tally is one unit's ledger for one year reduced to monthly counts: by
// organising node (with and without topic) and by lead person, plus the
// study plan's items per type and month. The store fills it in two grouped
// queries; everything else is arithmetic.
type Tally struct {
	Year   int
	Counts map[Key]int
	// Plan counts plan items per type and month; PlanTypes says which types
	// the unit planned at all this year.
	Plan map[Key]int
	// Quota is each department's monthly 信息报送 quota; QuotaDefault applies
	// to departments without their own.
	Quota        map[int64]int
	QuotaDefault int
}

// NewTally returns an empty tally.
func NewTally(year int) *Tally {
	return &Tally{Year: year, Counts: map[Key]int{}, Plan: map[Key]int{}, Quota: map[int64]int{}}
}

// Add counts n entries of an org (or lead) in a month, for the type with
// and without each of its topics.
func (t *Tally) Add(org, lead int64, typ string, month int, topics []string, n int) {
	add := func(org, lead int64) {
		t.Counts[Key{Org: org, Lead: lead, Type: typ, Month: month}] += n
		for _, tp := range topics {
			t.Counts[Key{Org: org, Lead: lead, Type: typ, Topic: tp, Month: month}] += n
		}
	}
	add(org, lead)
	if lead == 0 {
		add(unitWide, 0)
	}
}

// unitWide is the Org of buckets summing every node of the unit.
const unitWide = -1

// sum counts entries of subject s for rule r over months m1..m2.
func (t *Tally) sum(r *Rule, s Subject, m1, m2 int) int {
	n := 0
	for m := m1; m <= m2; m++ {
		switch s.Kind {
		case SubjectLeader:
			n += t.Counts[Key{Lead: s.ID, Type: r.Type, Topic: r.Topic, Month: m}]
		case SubjectUnit:
			n += t.Counts[Key{Org: unitWide, Type: r.Type, Topic: r.Topic, Month: m}]
		default:
			n += t.Counts[Key{Org: s.ID, Type: r.Type, Topic: r.Topic, Month: m}]
		}
	}
	return n
}

func (t *Tally) planned(typ string, m1, m2 int) (n int, hasPlan bool) {
	for k, c := range t.Plan {
		if k.Type == typ {
			hasPlan = true
			if k.Month >= m1 && k.Month <= m2 {
				n += c
			}
		}
	}
	return n, hasPlan
}

// Result is the judgement of one rule for one subject and period.
type Result struct {
	Rule     *Rule // the version judging the period (shared, do not modify)
	Subject  Subject
	Period   ledger.Period
	Deadline string // YYYY-MM-DD
	Required int
	Count    int
	Status   Status
	DaysLeft int // days from today to the deadline (negative when passed)
}

// Filter selects the ledger entries counted (drill-down to the ledger).
func (r Result) Filter() ledger.Filter {
	f := ledger.Filter{UnitID: r.Rule.UnitID, From: r.Period.From, To: r.Deadline, Types: []string{r.Rule.Type}, Topic: r.Rule.Topic}
	switch r.Subject.Kind {
	case SubjectDepartment, SubjectBranch:
		f.OrgID = r.Subject.ID
	case SubjectLeader:
		f.LeadID = r.Subject.ID
	}
	return f
}

// Link is the drill-down to the records counted: the ledger list, or the
// department's information drafts of the month.
func (r Result) Link() string {
	if r.Rule.Type == InfoType {
		return fmt.Sprintf("/info?unit=%d&org=%d&month=%s", r.Rule.UnitID, r.Subject.ID, r.Period.From[:7])
	}
	return r.Filter().URL()
}

// NewLink is where the missing records are entered.
func (r Result) NewLink() string {
	if r.Rule.Type == InfoType {
		return "/info/new"
	}
	return "/ledger/new?type=" + r.Rule.Type
}

// Unit is the counting word (次, 篇, 条).
func (r Result) Unit() string { return TypeUnit(r.Rule.Type) }

// Missing is how many entries are still owed.
func (r Result) Missing() int { return max(r.Required-r.Count, 0) }

// IdemKey identifies the result across evaluations (reminders, automatic
// rectification items): rule key, subject and period.
func (r Result) IdemKey() string {
	return fmt.Sprintf("u%d/%s/%s%d/%s", r.Rule.UnitID, r.Rule.Key, r.Subject.Kind, r.Subject.ID, r.Period.Key)
}

// Periods lists the periods of a kind in a year.
func Periods(kind string, year int) []ledger.Period {
	var keys []string
	switch kind {
	case Monthly:
		for m := 1; m <= 12; m++ {
			keys = append(keys, fmt.Sprintf("%d-%02d", year, m))
		}
	case Quarterly:
		for q := 1; q <= 4; q++ {
			keys = append(keys, fmt.Sprintf("%dQ%d", year, q))
		}
	case HalfYear:
		keys = []string{fmt.Sprintf("%dH1", year), fmt.Sprintf("%dH2", year)}
	case Yearly:
		keys = []string{fmt.Sprint(year)}
	}
	out := make([]ledger.Period, 0, len(keys))
	for _, k := range keys {
		p, err := ledger.ParsePeriod(k)
		if err == nil {
			out = append(out, p)
		}
	}
	return out
}

func parseDay(d string) time.Time {
	t, _ := time.Parse(cntime.DateLayout, d)
	return t
}

func day(t time.Time) string { return t.Format(cntime.DateLayout) }

// dayNum is the day count since 1970-01-01 of a YYYY-MM-DD string, read
// without time.Parse (Evaluate judges tens of thousands of periods).
func dayNum(d string) int {
	if len(d) != 10 {
		return 0
	}
	n := func(s string) int {
		v := 0
		for i := 0; i < len(s); i++ {
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	return int(time.Date(n(d[:4]), time.Month(n(d[5:7])), n(d[8:]), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Deadline is the last day of the rule's DueMonth within the period.
func Deadline(r Rule, p ledger.Period) string {
	months := periodMonths(r.Period)
	dm := r.DueMonth
	if dm <= 0 || dm >= months {
		return p.To
	}
	from := parseDay(p.From)
	return day(time.Date(from.Year(), from.Month()+time.Month(dm), 0, 0, 0, 0, 0, time.UTC))
}

func dayMonth(d string) int {
	if len(d) < 7 {
		return 0
	}
	return int(d[5]-'0')*10 + int(d[6]-'0')
}

// Judge decides the status of an obligation requiring `required` entries
// between from and deadline of which `count` exist, as of today (all days
// YYYY-MM-DD). At risk means: the reminder window before the deadline has
// begun, or more than half the time has gone with less than the matching
// share done.
func Judge(required, count int, from, deadline string, grace, remind int, today string) Status {
	return judge(required, count, dayNum(from), dayNum(deadline), grace, remind, dayNum(today))
}

// judge is Judge on day numbers.
func judge(required, count, from, deadline, grace, remind, today int) Status {
	switch {
	case today < from:
		return Upcoming
	case count >= required:
		return Done
	case today > deadline+grace:
		return Missed
	case today > deadline:
		return Overdue
	}
	if deadline-today < remind {
		return AtRisk
	}
	total := deadline - from + 1
	elapsed := today - from + 1
	if 2*elapsed > total && count*total < required*elapsed {
		return AtRisk
	}
	return OnTrack
}

// Evaluate judges every rule of a unit for every subject and period of the
// tally's year, as of today. rules may hold several versions per key: each
// period is judged by the version in force on its judging day — the deadline
// for a period whose deadline has passed, today for a running period and the
// first day for a future one — so past periods keep the rules then in force.
func Evaluate(u Unit, rules []Rule, t *Tally, today string) []Result {
	out := make([]Result, 0, 16*len(rules))
	todayN := dayNum(today)
	periods := map[string][]ledger.Period{}
	for i := range rules {
		r := &rules[i]
		ps, ok := periods[r.Period]
		if !ok {
			ps = Periods(r.Period, t.Year)
			periods[r.Period] = ps
		}
		for _, p := range ps {
			dl := Deadline(*r, p)
			judgeDay := min(dl, today)
			if today < p.From {
				judgeDay = p.From
			}
			if !r.InForce(judgeDay) {
				continue
			}
			m1, m2 := int(dayMonth(p.From)), int(dayMonth(dl))
			fromN, dlN := dayNum(p.From), dayNum(dl)
			required := r.Count
			if r.PerPlan {
				if n, has := t.planned(r.Type, m1, m2); has {
					required = n
				}
			}
			if required == 0 {
				continue
			}
			for _, s := range u.subjects(r.Subject) {
				required := required
				if r.Type == InfoType {
					if q, ok := t.Quota[s.ID]; ok {
						required = q
					} else if t.QuotaDefault > 0 {
						required = t.QuotaDefault
					}
					if required <= 0 {
						continue
					}
				}
				n := t.sum(r, s, m1, m2)
				out = append(out, Result{Rule: r, Subject: s, Period: p, Deadline: dl, Required: required, Count: n,
					Status: judge(required, n, fromN, dlN, r.GraceDays, r.RemindDays, todayN), DaysLeft: dlN - todayN})
			}
		}
	}
	return out
}

// Line sums up one obligation (rule key) over its subjects and the periods
// of the year so far: the dashboard's row.
type Line struct {
	Key, Name string
	Rule      Rule // the version in force today (or the latest)
	Results   []Result
	// Worst is the most severe status among periods that have begun.
	Worst Status
	// PeriodsDue counts subject-periods whose deadline has passed or that
	// are done; PeriodsDone those done among them.
	PeriodsDue, PeriodsDone int
	// Required and Count summed over subject-periods begun so far.
	Required, Count int
}

// Summary is "7/9" style text for the line.
func (l Line) Summary() string {
	if l.Rule.Period == Yearly && len(l.Results) == 1 {
		return fmt.Sprintf("%d/%d", l.Count, l.Required)
	}
	return fmt.Sprintf("%d/%d", l.PeriodsDone, l.PeriodsDue)
}

// Lines groups results by rule key in rule order.
func Lines(rules []Rule, results []Result, today string) []Line {
	var keys []string
	byKey := map[string]*Line{}
	for _, r := range rules {
		l, ok := byKey[r.Key]
		if !ok {
			keys = append(keys, r.Key)
			l = &Line{Key: r.Key, Name: r.Name, Rule: r}
			byKey[r.Key] = l
		}
		if r.InForce(today) || (l.Rule.ValidTo != "" && r.ValidFrom > l.Rule.ValidFrom) {
			l.Rule, l.Name = r, r.Name
		}
	}
	for _, res := range results {
		l := byKey[res.Rule.Key]
		if l == nil || res.Status == Upcoming {
			continue
		}
		l.Results = append(l.Results, res)
		l.Worst = max(l.Worst, res.Status)
		l.Required += res.Required
		l.Count += min(res.Count, res.Required)
		if res.Status == Done || res.DaysLeft < 0 {
			l.PeriodsDue++
			if res.Status == Done {
				l.PeriodsDone++
			}
		}
	}
	out := make([]Line, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out
}

// Risk scores a unit for sorting the district roll-up: red counts more than amber.
func Risk(lines []Line) int {
	n := 0
	for _, l := range lines {
		for _, r := range l.Results {
			switch r.Status {
			case Missed:
				n += 10
			case Overdue:
				n += 6
			case AtRisk:
				n += 2
			}
		}
	}
	return n
}

// Shortfalls lists what is behind, most severe first (for 通报 and reminders).
func Shortfalls(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if r.Status.Behind() {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Result) int {
		if a.Status != b.Status {
			return int(b.Status) - int(a.Status)
		}
		return strings.Compare(a.Deadline, b.Deadline)
	})
	return out
}

// Needs says which ledger counts a set of rules looks at, so the store
// reads only those: types counted by organising node, types counted by lead
// person, and whether any rule restricts to a topic.
type Needs struct {
	OrgTypes  []string
	LeadTypes []string
	Topics    bool
	Plan      bool
	Info      bool // 信息报送 counts and quotas
}

// NeedsOf collects the needs of the rules of many units.
func NeedsOf(rules map[int64][]Rule) Needs {
	var n Needs
	for _, list := range rules {
		for _, r := range list {
			if r.Type == InfoType {
				n.Info = true
				continue
			}
			if r.Subject == SubjectLeader {
				if !slices.Contains(n.LeadTypes, r.Type) {
					n.LeadTypes = append(n.LeadTypes, r.Type)
				}
			} else if !slices.Contains(n.OrgTypes, r.Type) {
				n.OrgTypes = append(n.OrgTypes, r.Type)
			}
			n.Topics = n.Topics || r.Topic != ""
			n.Plan = n.Plan || r.PerPlan
		}
	}
	slices.Sort(n.OrgTypes)
	slices.Sort(n.LeadTypes)
	return n
}

// UnitCompliance is one unit's obligations judged for a year: every result,
// the lines the dashboard shows (one per rule), and the counts of red and
// amber lines. Risk orders units on the district matrix.
type UnitCompliance struct {
	Unit    Unit
	Results []Result
	Lines   []Line
	Risk    int
	Red     int
	Amber   int
}

// Cell returns the line of a rule key (the zero Line when the unit has none).
func (u *UnitCompliance) Cell(key string) Line {
	for _, l := range u.Lines {
		if l.Key == key {
			return l
		}
	}
	return Line{}
}

// JudgeUnit evaluates a unit's rules against its tally on the day today
// ("2006-01-02") and summarises the result for the dashboard.
func JudgeUnit(u Unit, rules []Rule, t *Tally, today string) *UnitCompliance {
	res := Evaluate(u, rules, t, today)
	uc := &UnitCompliance{Unit: u, Results: res, Lines: Lines(rules, res, today)}
	uc.Risk = Risk(uc.Lines)
	for _, l := range uc.Lines {
		switch l.Worst.Color() {
		case "red":
			uc.Red++
		case "amber":
			uc.Amber++
		}
	}
	return uc
}
