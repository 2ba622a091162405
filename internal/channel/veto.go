package channel

import (
	"fmt"
	"slices"
)

// SlowMillis is the indicator's limit: a page that takes 15 s or more
// counts as not opening (超过（含）15秒网站仍打不开).
const SlowMillis = 15000

// Finding is a problem a check or a person found on a channel.
type Finding struct {
	ID        int64
	ChannelID int64
	UnitID    int64
	Kind      FindingKind
	// Key identifies the problem so a second check does not record it again
	// (kind, page and wording).
	Key      string
	PageURL  string
	Sentence string
	Detail   string
	Serious  bool
	Status   string // "open" or "closed"
	RectID   int64
	FoundAt  int64
	ClosedAt int64
	// Recheck is the result of the automatic re-check after its
	// rectification was closed ("" = none yet).
	Recheck     string
	RecheckAt   int64
	ChannelName string
}

// FindingKind is what a finding is about.
type FindingKind string

// Finding kinds.
const (
	FStale       FindingKind = "stale"       // past its update limit
	FUnreachable FindingKind = "unreachable" // could not be opened
	FSlow        FindingKind = "slow"        // took 15 s or more
	FDeadLink    FindingKind = "deadlink"    // a link on a checked page is dead
	FWording     FindingKind = "wording"     // screening found wrong wording
	FUnfiled     FindingKind = "unfiled"     // opened, renamed or closed without 报备
	FEmpty       FindingKind = "empty"       // a column with nothing in it
	FUnanswered  FindingKind = "unanswered"  // a message unanswered past the limit
)

// Label is the finding kind in Chinese.
func (k FindingKind) Label() string {
	switch k {
	case FStale:
		return "更新超期"
	case FUnreachable:
		return "无法访问"
	case FSlow:
		return "访问过慢"
	case FDeadLink:
		return "错链死链"
	case FWording:
		return "表述错误"
	case FUnfiled:
		return "未报备"
	case FEmpty:
		return "空白栏目"
	case FUnanswered:
		return "留言超期未回复"
	}
	return string(k)
}

// Automatic reports whether a check can find (and re-check) this kind.
func (k FindingKind) Automatic() bool { return k != FUnfiled }

// Veto is one single-veto indicator and how the unit stands against it.
type Veto struct {
	Code   string
	Name   string
	Rule   string // the indicator's wording
	Source string
	// Judged: there was data to judge by (a site never checked is not).
	Judged bool
	Failed bool
	Detail string
	// Channels are the ones that make it fail.
	Channels []int64
}

// Input is what the evaluation needs about a unit.
type Input struct {
	Today    string
	Channels []Channel
	Rules    []Rule
	// Avail is each site's visits per day (at least the window's 7 days
	// before Today; JudgeAvailability reads them).
	Avail    map[int64][]DayAvail
	Findings []Finding // open findings
	// Fresh, when set, holds Judge's result for each channel on Today (the
	// dashboard has it already); missing ones are judged here.
	Fresh map[int64]Fresh
}

// judge is Judge, taken from in.Fresh when there.
func (in Input) judge(c Channel) Fresh {
	if f, ok := in.Fresh[c.ID]; ok {
		return f
	}
	return Judge(c, in.Rules, in.Today)
}

// Thresholds of the column indicator.
const (
	StaleColumnsVeto = 5  // 累计超过（含）5个未更新
	LongStaleVeto    = 10 // 长期未更新的栏目数量超过（含）10个
	EmptyColumnsVeto = 5  // 空白栏目数量超过（含）5个
	ProbeFailPercent = 5  // 打不开的次数比例累计超过（含）5%
	UnansweredMonths = 3  // 超过3个月未回应
)

// Evaluate judges a unit's channels against the single-veto indicators as
// an inspection on in.Today would, each channel by the rule in force that
// day. Only running channels count.
func Evaluate(in Input) []Veto {
	today, ok := dayOf(in.Today)
	if !ok {
		return nil
	}
	running := make([]Channel, 0, len(in.Channels))
	for _, c := range in.Channels {
		if c.Status == Running {
			running = append(running, c)
		}
	}
	var out []Veto

	// 站点无法访问
	v := Veto{Code: "unreachable", Name: "站点无法访问", Source: SrcIndicators,
		Rule: "监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数比例累计超过（含）5%，即单项否决。"}
	var worst Availability
	sites := 0
	for _, c := range running {
		if c.Kind != Portal {
			continue
		}
		a := JudgeAvailability(in.Avail[c.ID], in.Today)
		if a.Total == 0 {
			continue
		}
		sites++
		if a.Judged() {
			v.Judged = true
		}
		if a.Vetoed {
			v.Failed = true
			v.Channels = append(v.Channels, c.ID)
		}
		if sites == 1 || a.Vetoed && !worst.Vetoed || a.Vetoed == worst.Vetoed && a.Percent() > worst.Percent() {
			worst = a
		}
	}
	switch {
	case sites == 0:
		v.Detail = "近7天无访问监测记录"
	case !v.Judged:
		v.Detail = "监测未满：" + worst.Text()
	case sites == 1:
		v.Detail = worst.Text()
	default:
		v.Detail = "打不开比例最高的网站：" + worst.Text()
	}
	out = append(out, finish(v))

	// 首页不更新
	v = Veto{Code: "homepage", Name: "首页不更新", Source: SrcIndicators,
		Rule: "监测2周，首页无信息更新的，即单项否决；未注明信息发布时间的视为不更新。"}
	for _, c := range running {
		if c.Kind != Portal {
			continue
		}
		v.Judged = true
		if in.judge(c).Stale {
			v.Failed = true
			v.Channels = append(v.Channels, c.ID)
		}
	}
	v.Detail = countDetail(v, "个网站首页超期未更新")
	out = append(out, finish(v))

	// 栏目不更新 (three ways)
	var stale, long, empty []int64
	columns := 0
	for _, c := range running {
		if c.Kind != Column {
			continue
		}
		columns++
		f := in.judge(c)
		isEmpty := c.LastUpdate == "" && c.Items == 0 && c.LastCheckAt != 0 && c.LastCheckOK
		if isEmpty {
			empty = append(empty, c.ID)
		}
		if !f.Stale {
			continue
		}
		switch c.Class {
		case ClassNews, ClassNotice, ClassPolicy:
			stale = append(stale, c.ID)
		}
		long = append(long, c.ID)
	}
	v = Veto{Code: "columns", Name: "栏目不更新", Source: SrcIndicators, Judged: columns > 0,
		Rule: "监测时间点前2周内的动态、要闻类栏目，以及前6个月内的通知公告、政策文件类栏目，累计超过（含）5个未更新；或应更新但长期未更新的栏目超过（含）10个；或空白栏目超过（含）5个。"}
	if len(stale) >= StaleColumnsVeto || len(long) >= LongStaleVeto || len(empty) >= EmptyColumnsVeto {
		v.Failed = true
		for _, ids := range [][]int64{stale, long, empty} {
			for _, id := range ids {
				if !slices.Contains(v.Channels, id) {
					v.Channels = append(v.Channels, id)
				}
			}
		}
	}
	v.Detail = fmt.Sprintf("动态要闻、通知公告、政策文件类未更新 %d 个（限 %d），超期未更新 %d 个（限 %d），空白栏目 %d 个（限 %d）",
		len(stale), StaleColumnsVeto-1, len(long), LongStaleVeto-1, len(empty), EmptyColumnsVeto-1)
	out = append(out, finish(v))

	// 互动回应差
	v = Veto{Code: "interact", Name: "互动回应差", Source: SrcIndicators,
		Rule: "监测时间点前1年内，政务咨询类栏目存在超过3个月未回应有效留言的，即单项否决。"}
	for _, c := range running {
		if c.Kind != Column || c.Class != ClassInteract {
			continue
		}
		v.Judged = true
		// A message still unanswered is unanswered within the past year
		// however old it is, so its age is all that counts.
		since, ok := dayOf(c.UnansweredSince)
		if !ok {
			continue
		}
		if today.After(since.AddDate(0, UnansweredMonths, 0)) {
			v.Failed = true
			v.Channels = append(v.Channels, c.ID)
		}
	}
	v.Detail = countDetail(v, "个互动栏目有超过3个月未回复的留言")
	out = append(out, finish(v))

	// 严重表述错误
	v = Veto{Code: "wording", Name: "严重表述错误", Source: SrcIndicators, Judged: len(running) > 0,
		Rule: "出现严重表述错误、严重错别字（例如将党和国家领导人姓名写错）的，即单项否决。"}
	for _, f := range in.Findings {
		if f.Kind == FWording && f.Serious && f.Status == "open" && !slices.Contains(v.Channels, f.ChannelID) {
			v.Failed = true
			v.Channels = append(v.Channels, f.ChannelID)
		}
	}
	v.Detail = countDetail(v, "个阵地有未整改的严重表述错误")
	out = append(out, finish(v))

	// 僵尸号
	v = Veto{Code: "zombie", Name: "政务新媒体不更新（僵尸号）", Source: SrcIndicators,
		Rule: "监测时间点前2周内无更新的政务新媒体，即单项否决。"}
	for _, c := range running {
		if !c.Kind.NewMedia() {
			continue
		}
		v.Judged = true
		if in.judge(c).Stale {
			v.Failed = true
			v.Channels = append(v.Channels, c.ID)
		}
	}
	v.Detail = countDetail(v, "个账号超过期限未更新")
	out = append(out, finish(v))
	return out
}

func countDetail(v Veto, what string) string {
	if !v.Judged {
		return "本单位无此类阵地"
	}
	return fmt.Sprintf("%d %s", len(v.Channels), what)
}

func finish(v Veto) Veto {
	slices.Sort(v.Channels)
	return v
}

// Failing returns the vetoes that fail.
func Failing(vs []Veto) []Veto {
	var out []Veto
	for _, v := range vs {
		if v.Failed {
			out = append(out, v)
		}
	}
	return out
}
