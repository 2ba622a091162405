package report

import (
	"fmt"
	"slices"
	"strconv"

	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// deptBlocks is the per-department table of the monthly bulletin: ledger
// entries each department and branch organised in the period, and the
// departments that recorded nothing.
func (b *builder) deptBlocks() ([]Block, error) {
	nodes, err := b.src.Nodes(b.ctx, b.req.UnitID)
	if err != nil {
		return nil, fmt.Errorf("bulletin departments: %w", err)
	}
	counts, err := b.src.CountByOrgType(b.ctx, b.period())
	if err != nil {
		return nil, fmt.Errorf("bulletin counts: %w", err)
	}
	study := map[int64]int{}
	total := map[int64]int{}
	for orgID, byType := range counts {
		for typ, n := range byType {
			total[orgID] += n
			if slices.Contains(studyForms, typ) {
				study[orgID] += n
			}
		}
	}
	rows := [][]string{{"序号", "科室（支部）", "台账记录", "学习活动", "情况"}}
	var silent []string
	n := 0
	for _, nd := range nodes {
		if nd.Kind != org.Department && nd.Kind != org.Branch {
			continue
		}
		n++
		state := "正常"
		if total[nd.ID] == 0 {
			state = "无记录"
			silent = append(silent, nd.Name)
		}
		f := b.period()
		f.OrgID = nd.ID
		fig, err := b.ledgerFig("dept_"+strconv.FormatInt(nd.ID, 10), nd.Name+"台账记录", "条",
			fmt.Sprintf("台账中%s至%s由%s组织的记录", ledger.FormatDate(b.req.Period.From), ledger.FormatDate(b.req.Period.To), nd.Name), f)
		if err != nil {
			return nil, err
		}
		rows = append(rows, []string{strconv.Itoa(n), nd.Name, "{" + fig.Key + "}", strconv.Itoa(study[nd.ID]), state})
	}
	out := []Block{{Key: "auto.depts.table", Style: "table", Rows: rows}}
	text := "本月各科室（支部）均有台账记录。"
	if len(silent) > 0 {
		text = fmt.Sprintf("本月无台账记录的科室（支部）%d个：%s。请相关科室及时补齐并说明情况。", len(silent), joinCN(silent))
	}
	out = append(out, Block{Key: "auto.depts.silent", Style: "p", Text: text})
	return out, nil
}

func joinCN(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += "、"
		}
		out += s
	}
	return out
}
