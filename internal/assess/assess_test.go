package assess

import (
	"errors"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/docx"
)

func TestPointsBoundaries(t *testing.T) {
	ratio := Indicator{Points: 10, Rule: RuleRatio, Required: 4}
	per := Indicator{Points: 10, Rule: RulePer, Per: 0.25}
	perCap := Indicator{Points: 10, Rule: RulePer, Per: 1, Cap: 6}
	ded := Indicator{Points: 10, Rule: RuleDeduct, Per: 3}
	dedCap := Indicator{Points: 10, Rule: RuleDeduct, Per: 3, Cap: 5}
	pen := Indicator{Rule: RulePenalty, Per: 5, Cap: 10}
	penNoCap := Indicator{Rule: RulePenalty, Per: 5}
	for _, c := range []struct {
		name string
		ind  Indicator
		m    Measure
		want float64
	}{
		{"ratio none", ratio, Measure{}, 0},
		{"ratio partial", ratio, Measure{Count: 3}, 7.5},
		{"ratio exact", ratio, Measure{Count: 4}, 10},
		{"ratio over is capped", ratio, Measure{Count: 9}, 10},
		{"ratio scorer's required", Indicator{Points: 10, Rule: RuleRatio}, Measure{Count: 1, Required: 2}, 5},
		{"ratio nothing required and no record is zero", Indicator{Points: 10, Rule: RuleRatio}, Measure{}, 0},
		{"ratio nothing required with a record is full", Indicator{Points: 10, Rule: RuleRatio}, Measure{Count: 1}, 10},
		{"ratio not applicable", ratio, Measure{Count: 4, NA: "全年没有到期的整改事项"}, 0},
		{"per below cap", per, Measure{Count: 39}, 9.75},
		{"per at cap", per, Measure{Count: 40}, 10},
		{"per above cap", per, Measure{Count: 48}, 10},
		{"per own cap", perCap, Measure{Count: 7}, 6},
		{"deduct nothing judged is zero", ded, Measure{}, 0},
		{"deduct none failed", ded, Measure{Required: 12}, 10},
		{"deduct not applicable", ded, Measure{Required: 12, NA: "不适用"}, 0},
		{"deduct some", ded, Measure{Failures: 2}, 4},
		{"deduct some of many", ded, Measure{Required: 12, Failures: 2}, 4},
		{"deduct never below zero", ded, Measure{Failures: 4}, 0},
		{"deduct capped", dedCap, Measure{Failures: 3}, 5},
		{"penalty none", pen, Measure{}, 0},
		{"penalty one", pen, Measure{Failures: 1}, -5},
		{"penalty capped", pen, Measure{Failures: 3}, -10},
		{"penalty uncapped", penNoCap, Measure{Failures: 3}, -15},
		{"negative counts count as zero", ratio, Measure{Count: -2}, 0},
	} {
		if got := Points(c.ind, c.m); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func f(v float64) *float64 { return &v }

func TestScoreVetoBonusPenalty(t *testing.T) {
	tr := Tree{Weight: 10, BonusCap: 5, Indicators: []Indicator{
		{ID: 1, Name: "学习", Points: 60, Method: Auto, Rule: RuleRatio, Required: 12},
		{ID: 2, Name: "报告", Points: 40, Method: Manual, Rule: RuleRatio},
		{ID: 3, Name: "加分甲", Points: 4, Method: Manual, Rule: RuleRatio, Bonus: true},
		{ID: 4, Name: "加分乙", Points: 4, Method: Manual, Rule: RuleRatio, Bonus: true},
		{ID: 5, Name: "问责", Method: Auto, Rule: RulePenalty, Per: 5, Cap: 10},
		{ID: 6, Name: "重大问题", Method: Manual, Rule: RuleRatio, Veto: true},
	}}
	items := map[int64]Item{
		1: {Measure: &Measure{Count: 12}},
		2: {Self: f(50)}, // over the item's points: clamped to 40
		3: {Self: f(4)},
		4: {Self: f(3)},
		5: {Measure: &Measure{Failures: 1}},
	}
	r := Score(tr, items)
	if r.Base != 100 || r.Bonus != 5 || r.Penalty != -5 || r.Total != 100 || r.Weighted != 10 || r.FullMarks != 100 {
		t.Fatalf("got base %v bonus %v penalty %v total %v weighted %v full %v", r.Base, r.Bonus, r.Penalty, r.Total, r.Weighted, r.FullMarks)
	}
	// The district lowers the report with a reason; review wins over self.
	items[2] = Item{Self: f(40), Review: f(30), Reason: "报送晚"}
	if r := Score(tr, items); r.Total != 90 || r.Lines[1].By != "review" {
		t.Fatalf("review: total %v by %s", r.Total, r.Lines[1].By)
	}
	// A single veto sets the total to zero, whatever the rest.
	items[6] = Item{Self: f(0), SelfVeto: true}
	r = Score(tr, items)
	if !r.Vetoed || r.Total != 0 || r.Weighted != 0 || len(r.VetoBy) != 1 || r.VetoBy[0] != "重大问题" {
		t.Fatalf("veto: %+v", r)
	}
	// The district can lift it.
	no := false
	items[6] = Item{Self: f(0), SelfVeto: true, ReviewVeto: &no}
	if r := Score(tr, items); r.Vetoed {
		t.Fatal("review lifted the veto but it stands")
	}
	// Penalties never take the total below zero.
	r = Score(Tree{Indicators: []Indicator{{ID: 1, Points: 5, Method: Manual, Rule: RuleRatio}, {ID: 2, Method: Auto, Rule: RulePenalty, Per: 5}}},
		map[int64]Item{1: {Self: f(2)}, 2: {Measure: &Measure{Failures: 3}}})
	if r.Total != 0 {
		t.Fatalf("total below zero: %v", r.Total)
	}
	// An automatic veto item: a failure vetoes.
	r = Score(Tree{Indicators: []Indicator{{ID: 1, Points: 10, Method: Auto, Rule: RuleDeduct, Per: 1, Veto: true}}}, map[int64]Item{1: {Measure: &Measure{Failures: 1}}})
	if !r.Vetoed || r.Total != 0 {
		t.Fatalf("auto veto: %+v", r)
	}
}

// TestScoreNotApplicable: items that do not apply leave the full marks and
// the base is scaled from those that do; a unit with no records (every
// obligation unrecorded, nothing not applicable) scores below a unit with
// poor records, and a district review brings an item back.
func TestScoreNotApplicable(t *testing.T) {
	tr := Tree{Weight: 10, Indicators: []Indicator{
		{ID: 1, Name: "专题研究", Points: 40, Method: Auto, Rule: RuleRatio, Required: 2},
		{ID: 2, Name: "讲党课", Points: 30, Method: Auto, Rule: RuleDeduct, Per: 10},
		{ID: 3, Name: "整改", Points: 20, Method: Auto, Rule: RuleRatio},
		{ID: 4, Name: "舆情", Points: 10, Method: Auto, Rule: RuleRatio},
		{ID: 5, Name: "加分", Points: 3, Method: Auto, Rule: RuleRatio, Bonus: true},
	}}
	na := func(reason string) *Measure { return &Measure{NA: reason} }
	// Poor records: one 专题研究 of two, one lecture missed of three,
	// nothing due to rectify, no incident.
	poor := map[int64]Item{1: {Measure: &Measure{Count: 1, Required: 2}}, 2: {Measure: &Measure{Required: 3, Failures: 1}},
		3: {Measure: na("全年没有到期的整改事项")}, 4: {Measure: na("全年没有舆情事件")}, 5: {Measure: na("无")}}
	r := Score(tr, poor)
	// Raw 20 + 20 = 40 of the 70 applicable points: 40 × 100 / 70 = 57.14.
	if r.Raw != 40 || r.NAPoints != 30 || r.Base != 57.14 || r.Total != 57.14 || r.Weighted != 5.71 {
		t.Fatalf("poor: raw %v na %v base %v total %v weighted %v", r.Raw, r.NAPoints, r.Base, r.Total, r.Weighted)
	}
	if l := r.Lines[2]; l.NA != "全年没有到期的整改事项" || l.Score != 0 {
		t.Fatalf("NA line: %+v", l)
	}
	// No records at all: no leaders registered (nothing judged), nothing
	// done; only the genuinely not-applicable items are NA.
	empty := map[int64]Item{1: {Measure: &Measure{Required: 2}}, 2: {Measure: &Measure{}},
		3: {Measure: na("全年没有到期的整改事项")}, 4: {Measure: na("全年没有舆情事件")}}
	if e := Score(tr, empty); e.Total != 0 || e.Total >= r.Total {
		t.Fatalf("empty unit %v, poor unit %v", e.Total, r.Total)
	}
	// Every ordinary item NA: nothing to scale from, the base is zero.
	all := map[int64]Item{1: {Measure: na("x")}, 2: {Measure: na("x")}, 3: {Measure: na("x")}, 4: {Measure: na("x")}}
	if a := Score(tr, all); a.Base != 0 || a.NAPoints != 100 {
		t.Fatalf("all NA: %+v", a)
	}
	// The district scores an NA item by review: it applies again.
	poor[4] = Item{Measure: na("全年没有舆情事件"), Review: f(5), Reason: "漏登记舆情事件一起，回应超时"}
	r = Score(tr, poor)
	// Raw 45 of 80 applicable: 56.25.
	if r.Lines[3].NA != "" || r.Raw != 45 || r.NAPoints != 20 || r.Base != 56.25 {
		t.Fatalf("reviewed NA: line %+v raw %v na %v base %v", r.Lines[3], r.Raw, r.NAPoints, r.Base)
	}
	// An NA veto item does not veto.
	vt := Tree{Indicators: []Indicator{{ID: 1, Points: 100, Method: Auto, Rule: RuleDeduct, Per: 1, Veto: true}}}
	if v := Score(vt, map[int64]Item{1: {Measure: &Measure{Failures: 2, NA: "x"}}}); v.Vetoed {
		t.Fatal("a not-applicable item vetoed")
	}
}

func TestRank(t *testing.T) {
	in := []Ranked{{UnitID: 1, Name: "乙", Result: Result{Total: 90}}, {UnitID: 2, Name: "甲", Result: Result{Total: 95}},
		{UnitID: 3, Name: "丙", Result: Result{Total: 90}}, {UnitID: 4, Name: "丁", Result: Result{Total: 0, Vetoed: true}}}
	out := Rank(in)
	var got []string
	for _, r := range out {
		got = append(got, r.Name+string(rune('0'+r.Rank)))
	}
	if s := strings.Join(got, ","); s != "甲1,丙2,乙2,丁4" {
		t.Fatalf("rank %s", s)
	}
}

func TestDefaultTreePublishable(t *testing.T) {
	tr := DefaultTree(1, 2023)
	if err := tr.CanPublish(); err != nil {
		t.Fatal(err)
	}
	keys := []string{ScoreLedgerCount, ScoreLedgerPeriods, ScoreCompliance, ScoreInfoPoints, ScoreRectTimely, ScoreInclusions, ScoreDebriefs, ScoreCases, ScoreChannels, ScoreOpinion}
	for _, i := range tr.Indicators {
		if err := i.Validate(keys); err != nil {
			t.Errorf("%s: %v", i.Name, err)
		}
		if i.Source == "" {
			t.Errorf("%s: no source", i.Name)
		}
	}
	bad := tr
	bad.Indicators = bad.Indicators[1:]
	if err := bad.CanPublish(); err == nil || !strings.Contains(err.Error(), "合计须为100分") {
		t.Fatalf("a 90-point tree published: %v", err)
	}
}

func grant(role access.Role, org, unit int64, kind string) access.Grant {
	return access.Grant{Role: role, OrgID: org, UnitID: unit, Kind: kind}
}

func TestWorkflowWho(t *testing.T) {
	clerk := Actor{UserID: 1, Scope: access.Scope{HomeUnit: 2, ReadUnits: []int64{2}, WriteUnits: []int64{2}}, Grants: []access.Grant{grant(access.Clerk, 2, 2, "unit")}}
	member := Actor{UserID: 2, Scope: access.Scope{HomeUnit: 2, OwnRecords: true}, Grants: []access.Grant{grant(access.Member, 5, 2, "department")}}
	district := Actor{UserID: 3, Scope: access.Scope{ReadUnits: []int64{2, 9}}, Grants: []access.Grant{grant(access.Supervisor, 1, 0, "district")}}
	// A supervisor who belongs to unit 2 (its clerk also holds the district grant) may not review unit 2.
	selfRev := Actor{UserID: 4, Scope: access.Scope{HomeUnit: 2, ReadUnits: []int64{2, 9}, WriteUnits: []int64{2}},
		Grants: []access.Grant{grant(access.Clerk, 2, 2, "unit"), grant(access.Supervisor, 1, 0, "district")}}
	other := Actor{UserID: 5, Scope: access.Scope{HomeUnit: 9, ReadUnits: []int64{9}, WriteUnits: []int64{9}}, Grants: []access.Grant{grant(access.FirstResp, 9, 9, "unit")}}
	as := func(state string) Assessment { return Assessment{UnitID: 2, State: state} }
	for _, c := range []struct {
		name  string
		who   Actor
		state string
		act   string
		want  string // "" ok, "404", or part of the message
	}{
		{"clerk self-assesses", clerk, StateSelf, ActSelf, ""},
		{"clerk submits", clerk, StateSelf, ActSubmit, ""},
		{"clerk cannot edit after submit", clerk, StateSubmitted, ActSelf, "已提交待审核"},
		{"clerk cannot review", clerk, StateSubmitted, ActReview, "不能审核本单位"},
		{"member has no business", member, StateSelf, ActSelf, "404"},
		{"other unit gets 404", other, StateSubmitted, ActReview, "404"},
		{"other unit cannot self-assess", other, StateSelf, ActSubmit, "404"},
		{"district reviews", district, StateSubmitted, ActReview, ""},
		{"district cannot self-assess", district, StateSelf, ActSelf, "本单位填写"},
		{"district reviews only submitted", district, StateSelf, ActReview, "自评中"},
		{"district finishes", district, StateSubmitted, ActFinish, ""},
		{"district publishes reviewed", district, StateReviewed, ActPublish, ""},
		{"district cannot publish unreviewed", district, StateSubmitted, ActPublish, "已提交待审核"},
		{"district freezes published", district, StatePublished, ActFreeze, ""},
		{"frozen stays frozen", district, StateFrozen, ActReview, "已冻结"},
		{"a unit cannot review itself", selfRev, StateSubmitted, ActReview, "不能审核本单位"},
		{"nor publish itself", selfRev, StateReviewed, ActPublish, "不能审核本单位"},
	} {
		err := Check(c.who, as(c.state), c.act)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want == "404" && !errors.Is(err, apperr.ErrNotFound):
			t.Errorf("%s: want not found, got %v", c.name, err)
		case c.want != "" && c.want != "404" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
	}
	if !CanSeeCases(district, 2) || CanSeeCases(clerk, 2) || CanSeeCases(member, 2) || CanSeeCases(other, 2) || CanSeeCases(selfRev, 2) {
		t.Error("case visibility wrong")
	}
	first := Actor{Scope: access.Scope{HomeUnit: 2, ReadUnits: []int64{2}}, Grants: []access.Grant{grant(access.FirstResp, 2, 2, "unit")}}
	if !CanSeeCases(first, 2) {
		t.Error("第一责任人 cannot see the unit's cases")
	}
}

func TestReviewNeedsReason(t *testing.T) {
	ind := Indicator{Name: "x", Points: 10, Rule: RuleRatio, Method: Manual}
	if err := ValidateReview(ind, 8, 8, ""); err != nil {
		t.Errorf("unchanged score needs no reason: %v", err)
	}
	if err := ValidateReview(ind, 8, 6, " "); err == nil || !strings.Contains(err.Error(), "调整理由") {
		t.Errorf("changed score without reason: %v", err)
	}
	if err := ValidateReview(ind, 8, 11, "多给"); err == nil {
		t.Error("score above points accepted")
	}
	if err := ValidateSelf(Indicator{Method: Auto, Points: 5, Rule: RuleRatio}, 3, ""); err == nil {
		t.Error("self score on an automatic item accepted")
	}
	tr := Tree{Indicators: []Indicator{{ID: 1, Name: "报告", Method: Manual, Evidence: "文号", Points: 5, Rule: RuleRatio}}}
	if err := CheckSubmit(tr, map[int64]Item{}); err == nil || !strings.Contains(err.Error(), "尚未自评") {
		t.Errorf("submit without self score: %v", err)
	}
	if err := CheckSubmit(tr, map[int64]Item{1: {Self: f(5)}}); err == nil || !strings.Contains(err.Error(), "须填写佐证") {
		t.Errorf("submit without evidence: %v", err)
	}
	if err := CheckSubmit(tr, map[int64]Item{1: {Self: f(5), Evidence: "区委宣〔2023〕5号"}}); err != nil {
		t.Error(err)
	}
}

func TestCaseValidate(t *testing.T) {
	base := func() Case {
		return Case{Title: "未按期专题研究", Year: 2023, Situation: "duty", Facts: "上半年未专题研究意识形态工作"}
	}
	for _, c := range []struct {
		name string
		mod  func(*Case)
		want string
	}{
		{"opened", func(*Case) {}, ""},
		{"unknown situation", func(c *Case) { c.Situation = "x" }, "问责情形"},
		{"认定 before 调查", func(c *Case) { c.Dates[1] = "2023-08-01" }, "须先完成“调查”"},
		{"dates out of order", func(c *Case) { c.Dates[0] = "2023-08-05"; c.Dates[1] = "2023-08-01" }, "不能早于前一步骤"},
		{"decision without method", func(c *Case) {
			c.Dates = [5]string{"2023-08-01", "2023-08-10", "2023-08-12", "", "2023-08-20"}
			c.Persons = []CasePerson{{UserID: 1, Resp: "直接责任"}}
			c.Body = "局党组"
		}, "问责方式"},
		{"decided, 申辩 waived", func(c *Case) {
			c.Dates = [5]string{"2023-08-01", "2023-08-10", "2023-08-12", "", "2023-08-20"}
			c.Persons = []CasePerson{{UserID: 1, Resp: "直接责任"}}
			c.Body, c.Method = "局党组", "诫勉谈话"
		}, ""},
		{"decision before 告知", func(c *Case) {
			c.Dates = [5]string{"2023-08-01", "2023-08-10", "", "", "2023-08-20"}
			c.Persons = []CasePerson{{UserID: 1, Resp: "直接责任"}}
			c.Body, c.Method = "局党组", "诫勉谈话"
		}, "须先完成“告知”"},
		{"bad responsibility", func(c *Case) { c.Persons = []CasePerson{{UserID: 1, Resp: "次要"}} }, "责任类型"},
	} {
		cs := base()
		c.mod(&cs)
		err := cs.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
	}
	cs := base()
	cs.Dates = [5]string{"2023-08-01", "2023-08-10", "2023-08-12", "2023-08-15", "2023-08-20"}
	cs.InAssessment = true
	if !cs.Counts(2023) || cs.Counts(2024) {
		t.Error("Counts wrong")
	}
	cs.InAssessment = false
	if cs.Counts(2023) {
		t.Error("a case not marked for the assessment counts")
	}
}

func TestGenerateDuties(t *testing.T) {
	people := []Person{
		{ID: 7, Name: "王五", Roles: []access.Role{access.LeaderMember}, Fenguan: []Dept{{ID: 30, Name: "农业科"}}},
		{ID: 5, Name: "张三", Roles: []access.Role{access.FirstResp}},
		{ID: 6, Name: "李四", Roles: []access.Role{access.DirectResp}, Fenguan: []Dept{{ID: 31, Name: "办公室"}}},
		{ID: 9, Name: "赵六", Roles: []access.Role{access.DeptHead}, DeptID: 30, Dept: "农业科"},
		{ID: 10, Name: "钱七", Roles: []access.Role{access.Member}},
	}
	ds := GenerateDuties(2, people)
	count := map[string]int{}
	for _, d := range ds {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.What, err)
		}
		count[d.Role]++
		if d.UserID == 10 {
			t.Error("a plain member got a duty")
		}
	}
	if count[DutyPartyGroup] != 5 || count[DutyFirst] != 5 || count[DutyDirect] != 4 || count[DutyMember] != 4 || count[DutyDeptHead] != 2 {
		t.Fatalf("counts %v", count)
	}
	if ds[5].UserID != 5 {
		t.Errorf("第一责任人 not first after the 党组: %+v", ds[5])
	}
	// Regenerating after edits adds only the new department's item.
	people[0].Fenguan = append(people[0].Fenguan, Dept{ID: 32, Name: "畜牧科"})
	miss := MissingDuties(GenerateDuties(2, people), ds)
	if len(miss) != 1 || miss[0].OrgID != 32 || !strings.Contains(miss[0].What, "畜牧科") {
		t.Fatalf("missing %+v", miss)
	}
}

func TestInclusionAndDebrief(t *testing.T) {
	in := Inclusion{Year: 2023, Key: InAgenda, Done: true}
	if err := in.Validate(); err == nil || !strings.Contains(err.Error(), "佐证") {
		t.Errorf("done without evidence: %v", err)
	}
	in.ActivityID = 3
	if err := in.Validate(); err != nil {
		t.Error(err)
	}
	d := Debrief{UserID: 1, Year: 2023, Date: "2024-01-20", Meeting: "2023年度民主生活会", Good: 30, Fair: 8, Average: 2}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.GoodRate() != "95.0%" {
		t.Errorf("rate %s", d.GoodRate())
	}
	d.Date = "2025-01-01"
	if err := d.Validate(); err == nil {
		t.Error("a 述职 two years later accepted")
	}
}

func TestCircularWording(t *testing.T) {
	tr := Tree{Year: 2023, Name: "细则", Weight: 10, Indicators: []Indicator{{ID: 1, Name: "“五个纳入”落实", Points: 100, Rule: RuleRatio, Method: Auto}}}
	line := func(v float64) Result {
		return Result{Total: v, Lines: []Line{{Indicator: tr.Indicators[0], Score: v}}}
	}
	one := Results{Tree: tr, Ranked: Rank([]Ranked{{UnitID: 1, Name: "甲局", Result: line(53)}})}
	text := docText(one.Circular())
	if strings.Contains(text, "得分居前") || !strings.Contains(text, "得分不足60分的单位：甲局（53分）") || !strings.Contains(text, "“‘五个纳入’落实”有1个单位失分") {
		t.Errorf("one unit:\n%s", text)
	}
	three := Results{Tree: tr, Ranked: Rank([]Ranked{{UnitID: 1, Name: "甲局", Result: line(95)}, {UnitID: 2, Name: "乙局", Result: line(85)}, {UnitID: 3, Name: "丙局", Result: line(50)}})}
	text = docText(three.Circular())
	if !strings.Contains(text, "得分居前的是甲局（95分）、乙局（85分）。") || !strings.Contains(text, "平均得分76.67分") {
		t.Errorf("three units:\n%s", text)
	}
}

func docText(d docx.Doc) string {
	var b strings.Builder
	for _, blk := range d.Blocks {
		if p, ok := blk.(docx.Para); ok {
			b.WriteString(p.Text + "\n")
		}
	}
	return b.String()
}
