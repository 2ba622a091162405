package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/supervise"
)

// risks drafts 风险研判 of the 研判报告 from what the system holds: the
// unfinished rectification items (问题清单) and the obligations the 督导
// judges behind, and the 阵地 findings not yet removed; a unit without
// registered 阵地 is told so instead of being passed over. Late ledger entries are bookkeeping, not an
// ideological risk, and are not listed here.
func (b *builder) risks() ([]Block, error) {
	rects, err := b.src.Rects(b.ctx, b.req.UnitID)
	if err != nil {
		return nil, fmt.Errorf("研判 rectifications: %w", err)
	}
	var open, overdue []string
	for _, r := range rects {
		if r.Status == supervise.RectClosed || cntime.Date(time.Unix(r.CreatedAt, 0)) > b.req.Period.To {
			continue // closed, or raised after the period
		}
		open = append(open, "“"+r.Title+"”")
		if r.Deadline != "" && r.Deadline < b.req.Period.To {
			overdue = append(overdue, "“"+r.Title+"”")
		}
	}
	var items []string
	scr, err := b.src.ScreenPublished(b.ctx, b.req.UnitID, b.req.Period.From, b.req.Period.To)
	if err != nil {
		return nil, fmt.Errorf("研判 screening: %w", err)
	}
	if scr.Drafts > 0 {
		if scr.WithFindings == 0 {
			items = append(items, fmt.Sprintf("发布信息未发现表述风险。%s发表的%d条信息按现行筛查词库复核，未发现规范表述、敏感词、禁用词等问题", b.req.Period.Label, scr.Drafts))
		} else {
			var cats []string
			for _, c := range sortedKeys(scr.ByCategory) {
				cats = append(cats, fmt.Sprintf("%s%d处", c, scr.ByCategory[c]))
			}
			s := fmt.Sprintf("发布信息存在表述风险。%s发表的%d条信息按现行筛查词库复核，%d条有提示项（%s）", b.req.Period.Label, scr.Drafts, scr.WithFindings, strings.Join(cats, "、"))
			if scr.Blocking > 0 {
				s += fmt.Sprintf("，其中阻断级问题%d处，须逐条核查", scr.Blocking)
			}
			items = append(items, s)
		}
	}
	if len(open) > 0 {
		s := fmt.Sprintf("问题整改尚未闭环。截至%s，问题清单中尚有%d项未整改销号", b.vars()["{截止}"], len(open))
		if len(overdue) > 0 {
			s += fmt.Sprintf("，其中%d项已超过整改时限：%s", len(overdue), strings.Join(limit(overdue, 5), "、"))
		}
		items = append(items, s)
	}
	if gp := b.gapProblems(); len(gp) > 0 {
		items = append(items, "责任落实存在薄弱环节。"+strings.Join(gp, "；"))
	}
	if f := b.r.Figure("channels"); f == nil || f.Value == 0 {
		items = append(items, "阵地管理情况未纳入本次研判。截至"+b.vars()["{截止}"]+"，本单位尚未在系统中登记阵地，门户网站栏目、政务新媒体的更新和网络安全排查情况由撰写人根据掌握的情况补充")
	} else if fd := b.r.Figure("channel_findings"); fd != nil && fd.Value > fixedCount(b) {
		items = append(items, "阵地管理存在问题尚未消除。登记的{channels}个阵地在自动检查和人工检查中发现问题{channel_findings}项，已整改消除{channel_fixed}项，其余须限期整改")
	}
	var out []Block
	for i, it := range items {
		out = append(out, Block{Key: fmt.Sprintf("auto.risks.%d", i+1), Style: "p", Text: ordinal(i) + "是" + it + "。"})
	}
	return out, nil
}

// limit keeps the first n names and says how many there are in all.
func limit(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	out := append([]string{}, names[:n]...)
	out[n-1] += fmt.Sprintf("等%d项", len(names))
	return out
}

// sortedKeys are a map's keys in order, for a stable sentence.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// fixedCount is the 阵地 findings already removed (0 without the figure).
func fixedCount(b *builder) int {
	if f := b.r.Figure("channel_fixed"); f != nil {
		return f.Value
	}
	return 0
}
