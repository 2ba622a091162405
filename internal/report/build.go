package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/supervise"
)

// Request says which report to build.
type Request struct {
	Kind      Kind
	UnitID    int64
	Period    ledger.Period
	SubjectID int64 // the leader of a 述职 section
	// LateDays is how many days after an activity its record counts as
	// entered late (the server's setting); 7 when zero.
	LateDays int
}

// builder holds what the figures of one report need.
type builder struct {
	ctx     context.Context
	src     Source
	req     Request
	tpl     *Template
	r       *Report
	unit    org.Node
	wording map[string]string // the unit's own text of template paragraphs
	// year-to-date period: from 1 January to the end of the report period.
	ytd ledger.Period
	// conds are the named conditions of conditional wording (cond.go).
	conds map[string]bool
	users []org.User
	// who is the principal leader (第一责任人) or the 述职 subject; role
	// the subject's leadership role.
	who  *org.User
	role access.Role
	// plan is the unit's study plan of the year (empty: none recorded).
	studyPlan []ledger.PlanItem
	// planMissed names the plan items due by the end of the period that
	// no recorded activity carried out: 6月“学习全省宣传部长会议精神”.
	planMissed []string
	// region is 区, 县 or 市: the level of the district above the unit.
	region string
	// results are the unit's obligations of the year judged on the last
	// day of the period (nil when the supervision data is unavailable).
	results []supervise.Result
	// fields are the 述职 subject's 分管, list and 述职 record (shuzhi_fields.go).
	fields *LeaderFields
	// acts are the period's entries behind the figure total (charts.go).
	acts []ledger.Activity
}

// Build generates a report from the ledger as src's reader sees it, in the
// unit's own wording where it has any. The unit must be readable in full;
// otherwise apperr.ErrNotFound. A period that does not suit the kind, or a
// 述职 subject who is not a leader of the unit, is a user error.
func Build(ctx context.Context, src Source, req Request) (*Report, error) {
	unit, err := src.Unit(ctx, req.UnitID)
	if err != nil {
		return nil, fmt.Errorf("report unit: %w", err)
	}
	if err := req.Kind.PeriodOK(req.Period); err != nil {
		return nil, err
	}
	if req.LateDays <= 0 {
		req.LateDays = 7
	}
	if req.Kind == InfoMonthly {
		b := &builder{ctx: ctx, src: src, req: req, unit: unit, conds: map[string]bool{},
			r: &Report{Kind: req.Kind, UnitID: req.UnitID, UnitName: unit.Name, Period: req.Period}}
		if err := b.bulletin(); err != nil {
			return nil, err
		}
		return b.r, nil
	}
	tpl, err := LoadTemplate(req.Kind)
	if err != nil {
		return nil, err
	}
	rules, err := src.Rules(ctx, req.UnitID)
	if err != nil {
		return nil, fmt.Errorf("report rules: %w", err)
	}
	tpl.Rules = unitRules(tpl.Rules, rules, req.Period.To)
	wording, err := src.Wording(ctx, req.UnitID, req.Kind)
	if err != nil {
		return nil, fmt.Errorf("report wording: %w", err)
	}
	b := &builder{ctx: ctx, src: src, req: req, tpl: tpl, unit: unit, wording: wording, conds: map[string]bool{},
		r: &Report{Kind: req.Kind, UnitID: req.UnitID, UnitName: unit.Name, Period: req.Period, SubjectID: req.SubjectID, Template: tpl.Name()}}
	b.ytd = ledger.Period{Key: req.Period.Key[:4], From: req.Period.Key[:4] + "-01-01", To: req.Period.To, Label: req.Period.Key[:4] + "年"}
	if err := b.load(); err != nil {
		return nil, err
	}
	if err := b.figures(); err != nil {
		return nil, err
	}
	if err := b.blocks(); err != nil {
		return nil, err
	}
	return b.r, nil
}

// unitRules replaces the template's default obligation counts with the
// unit's own supervision rules in force on day (the end of the period), so
// the report and the 督导 dashboard judge the same requirement: "in force"
// is supervise.Rule.InForce, the test the compliance evaluation applies. An
// obligation the unit has stopped is left out, so it is not reported as
// missed.
func unitRules(tplRules []Rule, rules []supervise.Rule, day string) []Rule {
	var kept []Rule
	for _, tr := range tplRules {
		for _, r := range rules {
			if r.InForce(day) && r.Type == tr.Type && r.Topic == "" && r.Subject == supervise.SubjectUnit && r.Period == supervise.Yearly {
				tr.Count = r.Count
				kept = append(kept, tr)
				break
			}
		}
	}
	return kept
}

// vars are the template variables.
func (b *builder) vars() map[string]string {
	p := b.req.Period
	year, _ := strconv.Atoi(p.Key[:4])
	this, next := "本期", "下一步"
	switch {
	case strings.HasSuffix(p.Key, "H1"):
		this, next = "上半年", "下半年"
	case strings.HasSuffix(p.Key, "H2"):
		this, next = "下半年", fmt.Sprintf("%d年", year+1)
	case len(p.Key) == 4:
		this, next = "全年", fmt.Sprintf("%d年", year+1)
	}
	region, whole := b.region, "全"+b.region
	if region == "" {
		region, whole = "地方", "本地"
	}
	title := ""
	if b.who != nil {
		title = b.who.Title
	}
	return map[string]string{
		"{单位}": b.unit.Name, "{期间}": p.Label, "{年度}": strconv.Itoa(year), "{本期}": this, "{下期}": next,
		"{次年}": strconv.Itoa(year + 1), "{截止}": ledger.FormatDate(p.To), "{年底}": ledger.FormatDate(fmt.Sprintf("%d-12-31", year)),
		"{姓名}": b.r.Subject, "{职务}": title, "{补记天数}": strconv.Itoa(b.req.LateDays),
		"{全辖区}": whole, "{辖区党委政府}": regionGov(region), "{计划必修课}": b.planTopicList(),
		"{计划未开展}": strings.Join(b.planMissed, "、"),
	}
}

// regionGov names the district's party committee and government the way
// a bureau's report does: 区委区政府, 县委县政府, 市委市政府.
func regionGov(region string) string {
	switch region {
	case "区", "县", "市", "旗":
		return region + "委" + region + "政府"
	}
	return "党委政府"
}

// fill puts in the variables and resolves the conditional wording.
func (b *builder) fill(s string) string {
	for k, v := range b.vars() {
		s = strings.ReplaceAll(s, k, v)
	}
	return resolveConds(s, b.holds)
}

// load reads what the wording depends on besides the figures: the people
// (the principal leader or the 述职 subject), the year's study plan, the
// level of the district and the year's obligations judged on the last day
// of the period.
func (b *builder) load() error {
	users, err := b.src.Users(b.ctx, b.req.UnitID)
	if err != nil {
		return fmt.Errorf("report leaders: %w", err)
	}
	b.users = users
	for i, u := range users {
		for _, g := range u.Grants {
			if g.UnitID != b.req.UnitID {
				continue
			}
			if b.req.Kind == Shuzhi {
				if u.ID == b.req.SubjectID && g.Role.IsLeader() && (b.who == nil || roleRank(g.Role) < roleRank(b.role)) {
					b.who, b.role = &users[i], g.Role
				}
			} else if g.Role == access.FirstResp && b.who == nil {
				b.who, b.role = &users[i], g.Role
			}
		}
	}
	if b.req.Kind == Shuzhi {
		if b.who == nil {
			return apperr.Rule("述职人不是本单位班子成员")
		}
		b.r.Subject = b.who.Name
	}
	b.conds["role_first"] = b.role == access.FirstResp
	b.conds["role_direct"] = b.role == access.DirectResp
	b.conds["role_member"] = b.role == access.LeaderMember
	year, _ := strconv.Atoi(b.req.Period.Key[:4])
	if b.studyPlan, err = b.src.PlanItems(b.ctx, b.req.UnitID, year); err != nil {
		return fmt.Errorf("study plan: %w", err)
	}
	b.conds["has_plan"] = len(b.studyPlan) > 0
	if err := b.loadAssessFacts(year); err != nil {
		return err
	}
	name, err := b.src.Region(b.ctx, b.req.UnitID)
	if err != nil {
		return fmt.Errorf("report region: %w", err)
	}
	if r := []rune(name); len(r) > 0 && strings.ContainsRune("区县市旗", r[len(r)-1]) {
		b.region = string(r[len(r)-1])
	}
	uc, err := b.src.Compliance(b.ctx, b.req.UnitID, year, b.req.Period.To)
	if err != nil {
		return fmt.Errorf("report obligations: %w", err)
	}
	b.results = uc.Results
	return nil
}

// roleRank orders leadership roles: the 第一责任人 first.
func roleRank(r access.Role) int {
	switch r {
	case access.FirstResp:
		return 0
	case access.DirectResp:
		return 1
	case access.LeaderMember:
		return 2
	}
	return 3
}

func (b *builder) blocks() error {
	b.r.Title = b.fill(b.tpl.Title)
	b.r.Subtitle = b.fill(b.tpl.Subtitle)
	for _, blk := range b.tpl.Blocks {
		if gen, ok := autoBlocks[strings.TrimPrefix(blk.Key, "auto.")]; ok && strings.HasPrefix(blk.Key, "auto.") {
			blocks, err := gen(b)
			if err != nil {
				return err
			}
			for _, ab := range blocks {
				ab.Text = resolveConds(ab.Text, b.holds)
				if ab.Style == "table" || strings.TrimSpace(ab.Text) != "" {
					b.r.Blocks = append(b.r.Blocks, ab)
				}
			}
			continue
		}
		if w, ok := b.wording[blk.Key]; ok && strings.TrimSpace(w) != "" && b.computes(w) {
			blk.Text = w
		}
		blk.Text = strings.TrimSpace(b.fill(blk.Text))
		if blk.Text == "" {
			continue // a paragraph whose every sentence the data does not support
		}
		b.r.Blocks = append(b.r.Blocks, blk)
	}
	return nil
}

// computes reports whether the report has every figure text cites: the
// unit's own wording of a paragraph, saved from an older template, may
// cite a figure today's template no longer computes, and is then left
// for the template's wording rather than print a bare {token}.
func (b *builder) computes(text string) bool {
	for _, m := range tokenRE.FindAllStringSubmatch(text, -1) {
		if b.r.Figure(m[1]) == nil {
			return false
		}
	}
	return true
}

// autoBlocks are the generated paragraphs a template places with "auto
// <name>".
var autoBlocks = map[string]func(b *builder) ([]Block, error){
	"problems": func(b *builder) ([]Block, error) { return b.problems(), nil },
	"plan":     (*builder).plan,
	"self":     (*builder).selfBlocks,
	"selfweak": func(b *builder) ([]Block, error) { return b.selfWeak(), nil },
	"selfplan": func(b *builder) ([]Block, error) { return b.selfPlan(), nil },
	"risks":    (*builder).risks,
	"charts":   (*builder).charts,
	"opinion":  (*builder).opinionEvents,
}

// add appends a figure.
func (b *builder) add(f *Figure) *Figure {
	b.r.Figures = append(b.r.Figures, f)
	return f
}

// ledgerFig counts the entries of a filter and keeps their ids.
func (b *builder) ledgerFig(key, label, unit, def string, f ledger.Filter) (*Figure, error) {
	ids, err := b.src.ActivityIDs(b.ctx, f)
	if err != nil {
		return nil, fmt.Errorf("figure %s: %w", label, err)
	}
	if ids == nil {
		ids = []int64{}
	}
	return b.add(&Figure{Key: key, Label: label, Unit: unit, Def: def, Value: len(ids), Display: strconv.Itoa(len(ids)),
		Source: "ledger", Link: f.URL(), IDs: ids}), nil
}

func (b *builder) period(types ...string) ledger.Filter {
	f := ledger.Filter{UnitID: b.req.UnitID, From: b.req.Period.From, To: b.req.Period.To, Types: types}
	// A report (分析研判) counts once its document is attached; without it
	// the entry shows 缺报告文档 and is left out of the figure.
	for _, t := range types {
		if tt, _ := ledger.TypeByCode(t); tt.Report {
			f.Counted = true
		}
	}
	return f
}

// typeDef describes a count of one activity type in the period.
func typeDef(p ledger.Period, types ...string) string {
	var labels []string
	for _, t := range types {
		tt, _ := ledger.TypeByCode(t)
		labels = append(labels, "“"+tt.Label+"”")
	}
	return fmt.Sprintf("台账中%s至%s的%s记录条数", ledger.FormatDate(p.From), ledger.FormatDate(p.To), strings.Join(labels, "、"))
}

// studyForms are the forms of political-theory study whose spread the
// 学习形式单一 check measures.
var studyForms = []string{ledger.CentralGroup, ledger.PartyLecture, ledger.BusinessLecture, ledger.Preach, ledger.ThemeDay,
	ledger.Research, ledger.Reflection, ledger.SelfStudy}

func (b *builder) figures() error {
	p := b.req.Period
	simple := []struct {
		key   string
		label string
		types []string
	}{
		{"central_group", "党组集中学习", []string{ledger.CentralGroup}},
		{"party_gov_meeting", "召开党政工作会", []string{ledger.PartyGovMeeting}},
		{"topic_study", "专题研究意识形态工作", []string{ledger.TopicStudy}},
		{"leading_group", "意识形态工作领导小组会议", []string{ledger.LeadingGroup}},
		{"analysis_report", "上报分析研判报告", []string{ledger.AnalysisReport}},
		{"business_lecture", "业务大讲堂", []string{ledger.BusinessLecture}},
		{"branch_life", "“三会一课”及主题党日", []string{ledger.BranchCongress, ledger.BranchCommittee, ledger.PartyGroup, ledger.ThemeDay}},
		{"party_lecture", "党课", []string{ledger.PartyLecture}},
		{"preach", "宣讲", []string{ledger.Preach}},
	}
	for _, s := range simple {
		t, _ := ledger.TypeByCode(s.types[0])
		if _, err := b.ledgerFig(s.key, s.label, t.Unit, typeDef(p, s.types...), b.period(s.types...)); err != nil {
			return err
		}
	}
	f := b.period(ledger.PartyLecture)
	f.LeadIsLeader = true
	if _, err := b.ledgerFig("leader_lecture", "党组成员上党课", "次", typeDef(p, ledger.PartyLecture)+"中授课人为本单位班子成员（第一责任人、直接责任人、班子成员）的", f); err != nil {
		return err
	}
	f = b.period(ledger.Preach)
	f.AudienceType = "服务对象"
	if _, err := b.ledgerFig("preach_clients", "为服务对象宣讲", "次", typeDef(p, ledger.Preach)+"中宣讲对象为“服务对象”的", f); err != nil {
		return err
	}
	if err := b.infoFigures(); err != nil {
		return err
	}
	if err := b.channelFigures(); err != nil {
		return err
	}
	if err := b.opinionFigures(); err != nil { // opinion.go
		return err
	}
	if err := b.lateFigures(); err != nil {
		return err
	}
	if err := b.formFigures(); err != nil {
		return err
	}
	b.planItemFigures()
	if err := b.topicFigures(); err != nil {
		return err
	}
	for _, rule := range b.tpl.Rules {
		f := ledger.Filter{UnitID: b.req.UnitID, From: b.ytd.From, To: b.ytd.To, Types: []string{rule.Type}}
		t, _ := ledger.TypeByCode(rule.Type)
		if _, err := b.ledgerFig("ytd_"+rule.Type, b.ytd.Label+"累计"+rule.Label, t.Unit, typeDef(b.ytd, rule.Type)+fmt.Sprintf("（年度要求不少于%d%s）", rule.Count, t.Unit), f); err != nil {
			return err
		}
	}
	return b.leaderFigures()
}

// infoFigures are the 信息 counts from the information-submission module.
func (b *builder) infoFigures() error {
	p := b.req.Period
	inf, err := b.src.InfoFigures(b.ctx, b.req.UnitID, p.From, p.To)
	if err != nil {
		// The source is unavailable: say so in the text, never show 0.
		for _, f := range []*Figure{
			{Key: "info_written", Label: "撰写整理各类信息", Unit: "条"},
			{Key: "info_published", Label: "在各类媒体发表", Unit: "条"},
		} {
			f.Missing, f.Display, f.Source, f.Def = true, "信息报送数据暂不可用", "info", "信息报送模块未能提供数据："+err.Error()
			f.IDs = []int64{}
			b.add(f)
		}
		return nil
	}
	// The information list has no date filter; the figure's page lists
	// each draft (/info/<id>) instead of a list link.
	link := ""
	b.add(&Figure{Key: "info_written", Label: "撰写整理各类信息", Unit: "条", Value: inf.Written, Display: RoundDown(inf.Written), Source: "info",
		Def:  fmt.Sprintf("信息报送中%s至%s提交的信息稿件（不含撤回），按惯例向下取整写作“余条”", ledger.FormatDate(p.From), ledger.FormatDate(p.To)),
		Link: link, IDs: nonNil(inf.WrittenIDs)})
	b.add(&Figure{Key: "info_published", Label: "在各类媒体发表", Unit: "条", Value: inf.Published, Display: strconv.Itoa(inf.Published), Source: "info",
		Def:  fmt.Sprintf("信息报送中%s至%s有发表或采用记录的信息稿件", ledger.FormatDate(p.From), ledger.FormatDate(p.To)),
		Link: link, IDs: nonNil(inf.PublishedIDs)})
	return nil
}

// channelFigures are the 阵地 counts (issue 18): the half-year report's
// 阵地 paragraph cites them only when the unit has channels.
func (b *builder) channelFigures() error {
	p := b.req.Period
	cc, err := b.src.ChannelFigures(b.ctx, b.req.UnitID, p.From, p.To)
	if err != nil {
		return err
	}
	span := fmt.Sprintf("%s至%s", ledger.FormatDate(p.From), ledger.FormatDate(p.To))
	b.add(&Figure{Key: "channels", Label: "登记阵地", Unit: "个", Value: cc.Channels, Display: strconv.Itoa(cc.Channels), Source: "channel",
		Def: "阵地管理中截至" + ledger.FormatDate(p.To) + "已登记、未关停的阵地", IDs: nonNil(cc.ChannelIDs)})
	b.add(&Figure{Key: "channel_findings", Label: "阵地检查发现问题", Unit: "项", Value: cc.Findings, Display: strconv.Itoa(cc.Findings), Source: "channel_finding",
		Def: "阵地自动检查和人工检查在" + span + "发现的问题（各季度阵地管理情况报告附件所列）", IDs: nonNil(cc.FindingIDs)})
	b.add(&Figure{Key: "channel_fixed", Label: "阵地问题已整改消除", Unit: "项", Value: cc.Fixed, Display: strconv.Itoa(cc.Fixed), Source: "channel_finding",
		Def: "上述问题中复查已消除的", IDs: []int64{}})
	b.add(&Figure{Key: "channel_inspections", Label: "网络安全排查和阵地检查", Unit: "次", Value: cc.Inspections, Display: strconv.Itoa(cc.Inspections), Source: "channel_inspection",
		Def: "检查期间在" + span + "内的网络安全排查和阵地检查", IDs: nonNil(cc.InspectionIDs)})
	return nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// lateFigures measure records entered late (the seed's 重制度轻日常监督):
// the records of the period's activities, those entered N days or more
// after the activity (N the late-days setting, the same rule as the ledger
// list's 补记 mark) and those entered after the period had ended.
func (b *builder) lateFigures() error {
	p := b.req.Period
	total, err := b.ledgerFig("total", "台账记录总数", "条", fmt.Sprintf("台账中活动日期在%s至%s的全部记录（不论何时登记）", ledger.FormatDate(p.From), ledger.FormatDate(p.To)), b.period())
	if err != nil {
		return err
	}
	f := b.period()
	f.Late = b.req.LateDays
	late, err := b.ledgerFig("late", "补记台账记录", "条", fmt.Sprintf("%s中登记日期比活动日期晚%d天及以上的记录（不含系统启用前导入的历史记录）", total.Def, b.req.LateDays), f)
	if err != nil {
		return err
	}
	// Imported history (dated before the unit recorded in the system) is
	// stated, never counted as 补记, and left out of the share's base.
	f = b.period()
	f.History = true
	hist, err := b.ledgerFig("imported", "系统启用前导入的台账记录", "条", fmt.Sprintf("%s中由 Excel 导入、活动日期早于本单位在系统中登记第一条台账的记录（不计入补记）", total.Def), f)
	if err != nil {
		return err
	}
	// Recorded at the source (issue 22): announced in advance and signed
	// in on the spot, punctual beyond doubt.
	f = b.period()
	f.AtSource = true
	if _, err := b.ledgerFig("at_source", "会前通知并现场签到的台账记录", "条", fmt.Sprintf("%s中由系统内会议通知生成、参会人员现场扫码签到的记录", total.Def), f); err != nil {
		return err
	}
	entered := total.Value - hist.Value
	b.add(&Figure{Key: "late_share", Label: "补记记录占比", Unit: "%", Value: pct(late.Value, entered), Display: Percent(late.Value, entered),
		Ratio: ratio(late.Value, entered), Def: "补记台账记录 ÷（台账记录总数 − 系统启用前导入的台账记录）", Source: "derived", Link: late.Link, IDs: late.IDs})
	acts, err := b.src.Activities(b.ctx, b.period())
	if err != nil {
		return fmt.Errorf("records entered after the period: %w", err)
	}
	b.acts = acts
	end, err := time.ParseInLocation(cntime.DateLayout, p.To, cntime.Zone)
	if err != nil {
		return fmt.Errorf("period end %q: %w", p.To, err)
	}
	limit := end.AddDate(0, 0, 1).Unix()
	after := []int64{}
	for _, a := range acts {
		// Imported history was recorded before the system: its import
		// time is not a late entry.
		if a.CreatedAt >= limit && !a.Import.History {
			after = append(after, a.ID)
		}
	}
	slices.Sort(after)
	b.add(&Figure{Key: "after_end", Label: "期满后登记的台账记录", Unit: "条", Value: len(after), Display: strconv.Itoa(len(after)), Source: "ledger",
		Def: fmt.Sprintf("%s中%s以后才登记的记录（不含系统启用前导入的历史记录）", total.Def, ledger.FormatDate(p.To)), IDs: after})
	return nil
}

// ratio is n/d as a fraction (0 when d is 0), kept for the Excel sheet.
func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func pct(n, d int) int {
	if d == 0 {
		return 0
	}
	return n * 100 / d
}

// formFigures measure the spread of study forms.
func (b *builder) formFigures() error {
	counts, err := b.src.CountByType(b.ctx, b.period(studyForms...))
	if err != nil {
		return fmt.Errorf("study forms: %w", err)
	}
	total, used, top := 0, 0, ""
	for _, t := range studyForms {
		total += counts[t]
		if counts[t] > 0 {
			used++
		}
		if top == "" || counts[t] > counts[top] {
			top = t
		}
	}
	tt, _ := ledger.TypeByCode(top)
	all, err := b.ledgerFig("study_total", "理论学习活动", "次", typeDef(b.req.Period, studyForms...), b.period(studyForms...))
	if err != nil {
		return err
	}
	b.add(&Figure{Key: "study_forms", Label: "采用的学习形式", Unit: "种", Value: used, Display: strconv.Itoa(used), Source: "derived",
		Def: "理论学习活动中有记录的活动类型数（共" + strconv.Itoa(len(studyForms)) + "种）", Link: all.Link, IDs: all.IDs})
	dom, err := b.ledgerFig("study_top", "最多的学习形式次数", "次", typeDef(b.req.Period, top)+"（理论学习活动中次数最多的形式）", b.period(top))
	if err != nil {
		return err
	}
	b.add(&Figure{Key: "study_top_share", Label: "最多的学习形式占比", Unit: "%", Value: pct(dom.Value, total), Display: Percent(dom.Value, total), Ratio: ratio(dom.Value, total),
		Def: "“" + tt.Label + "”次数 ÷ 理论学习活动次数", Source: "derived", Link: dom.Link, IDs: dom.IDs})
	return nil
}

// topicFigures count each required topic from 1 January to the period end
// and, against the year's study plan, how many of the plan's required
// topics were studied (without a plan: how many of the built-in list).
func (b *builder) topicFigures() error {
	var ids []int64
	inPlan := b.planTopics()
	covered, studiedAny := 0, 0
	for _, t := range ledger.RequiredTopics {
		f := ledger.Filter{UnitID: b.req.UnitID, From: b.ytd.From, To: b.ytd.To, Topic: t.Code}
		fig, err := b.ledgerFig("topic_"+t.Code, "必修课“"+strings.Trim(t.Label, "《》")+"”学习", "次",
			fmt.Sprintf("台账中%s至%s标注了必修课“%s”的记录", ledger.FormatDate(b.ytd.From), ledger.FormatDate(b.ytd.To), t.Label), f)
		if err != nil {
			return err
		}
		if fig.Value > 0 {
			studiedAny++
			if len(inPlan) == 0 || slices.Contains(inPlan, t.Code) {
				covered++
				ids = append(ids, fig.IDs...)
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	total, totalDef := len(ledger.RequiredTopics), "系统内置的必修课清单（本单位未录入年度学习计划）"
	coveredDef := fmt.Sprintf("%s以来台账中至少有一条记录的必修课项数", ledger.FormatDate(b.ytd.From))
	if len(inPlan) > 0 {
		total, totalDef = len(inPlan), fmt.Sprintf("%s年度学习计划列入的必修课项数", b.req.Period.Key[:4])
		coveredDef = fmt.Sprintf("年度学习计划列入的必修课中，%s以来台账中至少有一条记录的项数", ledger.FormatDate(b.ytd.From))
	}
	b.add(&Figure{Key: "topics_total", Label: "必修课总数", Unit: "项", Value: total, Display: strconv.Itoa(total),
		Source: "derived", Def: totalDef, IDs: []int64{}})
	b.add(&Figure{Key: "topics_covered", Label: "已学习的必修课", Unit: "项", Value: covered, Display: strconv.Itoa(covered), Source: "derived",
		Def: coveredDef, Link: ledger.Filter{UnitID: b.req.UnitID, From: b.ytd.From, To: b.ytd.To}.URL(), IDs: nonNil(ids)})
	b.add(&Figure{Key: "plan_items", Label: "年度学习计划项数", Unit: "项", Value: len(b.studyPlan), Display: strconv.Itoa(len(b.studyPlan)),
		Source: "derived", Def: fmt.Sprintf("%s年度学习计划的计划项数", b.req.Period.Key[:4]), IDs: []int64{}})
	b.conds["topics_all"] = covered == total && total > 0
	return nil
}

// leaderFigures are the five leads of the principal leader (主要负责人),
// or of the subject of a 述职 section.
func (b *builder) leaderFigures() error {
	who := b.who
	prefix, whoLabel := "first_", "主要负责人"
	if b.req.Kind == Shuzhi {
		prefix, whoLabel = "self_", who.Name
	}
	keys := [5]string{"selfstudy", "speech", "lecture", "research", "reflection"}
	units := [5]string{"次", "次", "次", "次", "篇"}
	if who == nil {
		// No principal leader recorded: the figures cannot be counted.
		for i, k := range keys {
			b.add(&Figure{Key: prefix + k, Label: whoLabel + ledger.FiveLeadLabels[i], Unit: units[i], Missing: true,
				Display: "本单位未设第一责任人", Source: "ledger", Def: "需在用户管理中为本单位指定第一责任人", IDs: []int64{}})
		}
		return nil
	}
	filters := ledger.FiveLeadFilters(b.req.UnitID, who.ID, b.req.Period)
	for i, k := range keys {
		label := whoLabel + ledger.FiveLeadLabels[i]
		if _, err := b.ledgerFig(prefix+k, label, units[i], fmt.Sprintf("%s（%s）%s", label, who.Name, fiveLeadDef[i]), filters[i]); err != nil {
			return err
		}
	}
	if b.req.Kind == Shuzhi {
		return b.selfFigures()
	}
	return nil
}

var fiveLeadDef = [5]string{
	"：本人的“个人自学”记录",
	"：本人主持或被记为中心发言的“中心组学习”记录",
	"：本人主讲的“党课”“宣讲”“业务大讲堂”记录之和（文中写作“辅导讲课（讲党课、作宣讲、业务大讲堂授课）”）",
	"：本人牵头的“调查研究”记录",
	"：本人撰写的“心得体会”记录",
}

// yearEnd is 31 December of the report's year.
func (b *builder) yearEnd() string { return b.req.Period.Key[:4] + "-12-31" }
