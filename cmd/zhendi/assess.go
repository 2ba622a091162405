package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/docx"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// assessCmd is `zhendi assess score`: a unit's assessment for a year, item
// by item with where each score comes from, or a district's ranking.
func assessCmd(ctx context.Context, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "score" {
		return errors.New("用法：zhendi assess score --unit 单位ID --year 2023 [--json]，或 --district 区ID 输出排名")
	}
	fs := flag.NewFlagSet("assess score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db dbFlags
	db.register(fs)
	unitID := fs.Int64("unit", 0, "单位编号")
	districtID := fs.Int64("district", 0, "区县编号（输出排名）")
	year := fs.Int("year", 0, "考核年度")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *year == 0 || (*unitID == 0) == (*districtID == 0) {
		return errors.New("请用 --year 指定年度，并用 --unit 或 --district 之一指定单位或区县")
	}
	st, err := db.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, service.Config{}, log)
	if *districtID != 0 {
		rs, err := districtResults(ctx, svc, *districtID, *year)
		if err != nil {
			return err
		}
		return printRanking(stdout, rs, *asJSON)
	}
	sc := systemScope(*unitID)
	t, err := st.TreeOf(ctx, sc, *unitID, *year, false)
	if errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("单位 %d 不存在，或其上级尚未发布 %d 年度考核细则", *unitID, *year)
	} else if err != nil {
		return err
	}
	scores, err := svc.ScoreUnits(ctx, sc, t, []int64{*unitID})
	if err != nil {
		return err
	}
	us := scores[*unitID]
	if us == nil {
		return fmt.Errorf("单位 %d 不在考核细则“%s”的范围内", *unitID, t.Name)
	}
	return printUnit(stdout, t, us, *asJSON)
}

// districtResults ranks a district's units for a year (the command line
// reads every unit under the district).
func districtResults(ctx context.Context, svc *service.Service, districtID int64, year int) (assess.Results, error) {
	units, err := svc.Store().UnitsUnder(ctx, districtID)
	if err != nil {
		return assess.Results{}, err
	}
	sc := access.Scope{ReadUnits: units}
	trees, err := svc.Store().Trees(ctx, sc, districtID)
	if err != nil {
		return assess.Results{}, err
	}
	for _, t := range trees {
		if t.Year == year && t.Status == assess.TreePublished {
			full, err := svc.Store().Tree(ctx, sc, t.ID)
			if err != nil {
				return assess.Results{}, err
			}
			return svc.Results(ctx, sc, full)
		}
	}
	return assess.Results{}, fmt.Errorf("区县 %d 没有已发布的 %d 年度考核细则", districtID, year)
}

// scoreLine is one indicator as printed.
type scoreLine struct {
	Indicator string   `json:"indicator"`
	Points    float64  `json:"points"`
	Score     float64  `json:"score"`
	Source    string   `json:"source"` // auto, self, review, none
	Note      string   `json:"note,omitempty"`
	Records   []string `json:"records,omitempty"`
	Evidence  string   `json:"evidence,omitempty"`
	Reason    string   `json:"reason,omitempty"`
	Vetoed    bool     `json:"vetoed,omitempty"`
	// NotApplicable says why the item does not apply (assess.ScoringRule).
	NotApplicable string `json:"not_applicable,omitempty"`
}

func linesOf(r assess.Result) []scoreLine {
	var out []scoreLine
	for _, l := range r.Lines {
		sl := scoreLine{Indicator: l.Indicator.Name, Points: l.Indicator.Points, Score: l.Score, Source: l.By, Evidence: l.Item.Evidence,
			Reason: l.Item.Reason, Vetoed: l.Vetoed, NotApplicable: l.NA}
		if sl.Source == "" {
			sl.Source = "none"
		}
		if m := l.Item.Measure; m != nil {
			sl.Note = m.Note
			for _, ref := range m.Refs {
				if ref.ID != 0 {
					sl.Records = append(sl.Records, fmt.Sprintf("%s#%d", ref.Kind, ref.ID))
				}
			}
		}
		out = append(out, sl)
	}
	return out
}

func printUnit(w io.Writer, t assess.Tree, us *service.UnitScore, asJSON bool) error {
	r := us.Result
	if asJSON {
		return json.NewEncoder(w).Encode(map[string]any{"unit": us.Assessment.UnitID, "unit_name": us.Assessment.UnitName, "year": t.Year, "tree": t.Name,
			"state": us.Assessment.State, "frozen": us.Frozen, "items": linesOf(r), "base": r.Base, "raw": r.Raw, "not_applicable_points": r.NAPoints,
			"bonus": r.Bonus, "penalty": r.Penalty,
			"total": r.Total, "vetoed": r.Vetoed, "weighted": r.Weighted})
	}
	fmt.Fprintf(w, "%s %d年度意识形态工作考核（%s，%s）\n", us.Assessment.UnitName, t.Year, t.Name, assess.StateLabel(us.Assessment.State))
	if us.Frozen {
		fmt.Fprintln(w, "已冻结：以下为冻结时的分数。")
	}
	for _, l := range linesOf(r) {
		src := map[string]string{"auto": "自动", "self": "自评", "review": "审核", "none": "未评分"}[l.Source]
		score := assess.Num(l.Score)
		if l.NotApplicable != "" {
			score, src = "不适用", src+"；"+l.NotApplicable
		}
		fmt.Fprintf(w, "%-6s/%-4s %s〔%s〕", score, assess.Num(l.Points), l.Indicator, src)
		if l.Note != "" {
			fmt.Fprintf(w, " %s", l.Note)
		}
		if len(l.Records) > 0 {
			fmt.Fprintf(w, " 记录：%s", strings.Join(l.Records, ","))
		}
		if l.Evidence != "" {
			fmt.Fprintf(w, " 佐证：%s", l.Evidence)
		}
		if l.Reason != "" {
			fmt.Fprintf(w, " 审核理由：%s", l.Reason)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "基本分 %s", assess.Num(r.Base))
	if r.NAPoints > 0 {
		fmt.Fprintf(w, "（不适用指标%s分，适用指标得%s/%s分折算）", assess.Num(r.NAPoints), assess.Num(r.Raw), assess.Num(r.Applicable()))
	}
	fmt.Fprintf(w, "，加分 %s，扣分 %s，总分 %s", assess.Num(r.Bonus), assess.Num(r.Penalty), assess.Num(r.Total))
	if r.Vetoed {
		fmt.Fprintf(w, "（一票否决：%s）", strings.Join(r.VetoBy, "、"))
	}
	fmt.Fprintln(w)
	return nil
}

func printRanking(w io.Writer, rs assess.Results, asJSON bool) error {
	if asJSON {
		type row struct {
			Rank   int     `json:"rank"`
			Unit   int64   `json:"unit"`
			Name   string  `json:"name"`
			State  string  `json:"state"`
			Total  float64 `json:"total"`
			Vetoed bool    `json:"vetoed,omitempty"`
		}
		var out []row
		for _, u := range rs.Ranked {
			out = append(out, row{u.Rank, u.UnitID, u.Name, u.State, u.Result.Total, u.Result.Vetoed})
		}
		return json.NewEncoder(w).Encode(map[string]any{"year": rs.Tree.Year, "tree": rs.Tree.Name, "ranking": out})
	}
	fmt.Fprintf(w, "%d年度意识形态工作考核排名（%s）\n", rs.Tree.Year, rs.Tree.Name)
	for _, u := range rs.Ranked {
		veto := ""
		if u.Result.Vetoed {
			veto = "　一票否决"
		}
		fmt.Fprintf(w, "%3d  %-7s %s（%d，%s）%s\n", u.Rank, assess.Num(u.Result.Total), u.Name, u.UnitID, assess.StateLabel(u.State), veto)
	}
	return nil
}

// assessReport is `zhendi report --kind assessment --year 2023 --district ID
// --out F.docx|F.xlsx`: the district's 考核结果通报 or its workbook.
func assessReport(ctx context.Context, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db dbFlags
	db.register(fs)
	fs.String("kind", "assessment", "报告类型")
	year := fs.Int("year", 0, "考核年度")
	districtID := fs.Int64("district", 0, "区县编号")
	out := fs.String("out", "", "输出文件 .docx 或 .xlsx")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *year == 0 || *districtID == 0 || *out == "" {
		return errors.New("请用 --year、--district 和 --out 指定年度、区县和输出文件")
	}
	st, err := db.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, service.Config{}, log)
	rs, err := districtResults(ctx, svc, *districtID, *year)
	if err != nil {
		return err
	}
	var data []byte
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".docx":
		d, err := svc.AssessCircular(ctx, rs)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := docx.Write(&buf, d); err != nil {
			return err
		}
		data = buf.Bytes()
	case ".xlsx":
		if data, err = rs.Workbook(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("输出文件 %s 应以 .docx 或 .xlsx 结尾", *out)
	}
	detail := map[string]any{"tree": rs.Tree.ID, "year": *year, "file": *out, "via": "命令行", "units": len(rs.Ranked)}
	if err := svc.RecordDownload(ctx, store.System, *districtID, "assess.export", "tree", rs.Tree.ID, detail); err != nil {
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已生成 %s（%d 个单位）\n", *out, len(rs.Ranked))
	return nil
}

// isAssessKind reports whether report's arguments ask for the assessment 通报.
func isAssessKind(args []string) bool {
	for i, a := range args {
		if a == "--kind=assessment" || a == "-kind=assessment" || (a == "--kind" || a == "-kind") && i+1 < len(args) && args[i+1] == "assessment" {
			return true
		}
	}
	return false
}
