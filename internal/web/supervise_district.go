package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"zhendi/internal/ledger"
	"zhendi/internal/supervise"
)

// supRollup is the district matrix: units × obligations.
type supRollup struct {
	Year    int
	Keys    []string
	Names   map[string]string
	Units   []*supervise.UnitCompliance
	Sort    string
	Behind  int
	AllDone int
}

// supRollupOf judges every unit the caller reads for the year asked and
// orders them by risk (the default), by name, or by how far behind they are
// on one obligation (sort=<rule key>).
func (s *Server) supRollupOf(ctx context.Context, c *reqCtx, r *http.Request) (supRollup, error) {
	year := s.supYear(r, c)
	ro := supRollup{Year: year, Names: map[string]string{}, Sort: r.URL.Query().Get("sort")}
	all, err := s.svc.Compliance(ctx, c.scope, c.scope.ReadUnits, year)
	if err != nil {
		return ro, err
	}
	for _, p := range supervise.Presets(0, supervise.PresetValidFrom) {
		ro.Keys = append(ro.Keys, p.Key)
		ro.Names[p.Key] = p.Name
	}
	for _, uc := range all {
		ro.Units = append(ro.Units, uc)
		for _, l := range uc.Lines {
			if _, ok := ro.Names[l.Key]; !ok {
				ro.Keys = append(ro.Keys, l.Key)
				ro.Names[l.Key] = l.Name
			}
		}
		if uc.Red+uc.Amber > 0 {
			ro.Behind++
		}
	}
	byName := func(a, b *supervise.UnitCompliance) bool {
		return a.Unit.Name < b.Unit.Name || (a.Unit.Name == b.Unit.Name && a.Unit.ID < b.Unit.ID)
	}
	switch {
	case ro.Sort == "name":
		sort.Slice(ro.Units, func(i, j int) bool { return byName(ro.Units[i], ro.Units[j]) })
	case ro.Names[ro.Sort] != "":
		k := ro.Sort
		sort.Slice(ro.Units, func(i, j int) bool {
			a, b := ro.Units[i].Cell(k).Worst, ro.Units[j].Cell(k).Worst
			if a != b {
				return a > b
			}
			return byName(ro.Units[i], ro.Units[j])
		})
	default:
		ro.Sort = "risk"
		sort.Slice(ro.Units, func(i, j int) bool {
			if ro.Units[i].Risk != ro.Units[j].Risk {
				return ro.Units[i].Risk > ro.Units[j].Risk
			}
			return byName(ro.Units[i], ro.Units[j])
		})
	}
	return ro, nil
}

// rollupPage is the roll-up for a page or download, or false when it has
// answered: 403 for someone reading no unit, or the error.
func (s *Server) rollupPage(w http.ResponseWriter, r *http.Request, c *reqCtx) (supRollup, bool) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return supRollup{}, false
	}
	ro, err := s.supRollupOf(r.Context(), c, r)
	if err != nil {
		s.httpError(w, r, c, err)
		return ro, false
	}
	return ro, true
}

// supDistrict is the district matrix page (多单位汇总).
func (s *Server) supDistrict(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ro, ok := s.rollupPage(w, r, c)
	if !ok {
		return
	}
	s.render(w, r, c, "supervise_district", map[string]any{"Title": fmt.Sprintf("%d年 各单位意识形态工作责任制落实情况", ro.Year), "Nav": "supervise", "R": ro, "Year": ro.Year,
		"Charts": map[string]Chart{"heat": districtHeatmap(ro)}})
}

// cellText is a matrix cell in the workbook: worst status and summary.
func cellText(l supervise.Line) string {
	if len(l.Results) == 0 {
		return "—"
	}
	return l.Worst.Label() + " " + l.Summary()
}

// supDistrictXLSX downloads the district matrix as a workbook.
func (s *Server) supDistrictXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ro, ok := s.rollupPage(w, r, c)
	if !ok {
		return
	}
	header := []string{"序号", "单位", "风险分"}
	widths := []float64{6, 28, 8}
	for _, k := range ro.Keys {
		header = append(header, ro.Names[k])
		widths = append(widths, 16)
	}
	var rows [][]string
	for i, uc := range ro.Units {
		row := []string{strconv.Itoa(i + 1), uc.Unit.Name, strconv.Itoa(uc.Risk)}
		for _, k := range ro.Keys {
			row = append(row, cellText(uc.Cell(k)))
		}
		rows = append(rows, row)
	}
	data, err := xlsxTable(fmt.Sprintf("%d年各单位意识形态工作责任制落实情况（截至%s）", ro.Year, ledger.FormatDate(s.today())), header, widths, rows)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.svc.RecordExport(r.Context(), c.actor(), c.user.UnitID, "supervise.export", "rollup", map[string]any{"year": ro.Year, "units": len(rows)}); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sendXLSX(w, fmt.Sprintf("督导汇总-%d.xlsx", ro.Year), data)
}
