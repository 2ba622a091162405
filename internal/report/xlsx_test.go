package report_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhendi/internal/report"
	"zhendi/internal/storetest"
)

// TestXlsxPrecisionAndSheetNames: the figure sheet keeps a percentage's
// precision (11.9%, as the text says, not 11) and every sheet has a name a
// user understands (no "表6").
func TestXlsxPrecisionAndSheetNames(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	for _, c := range []struct {
		kind   report.Kind
		period string
		sheet  string
	}{{report.HalfYear, "2023H1", ""}, {report.InfoMonthly, "2023-06", "各科室排名"}} {
		r, _ := demoReport(t, st, "zhuangan", c.kind, c.period)
		_, sc := scopeOf(t, st, "zhuangan")
		if err := r.LoadAnnex(ctx, source(st, sc)); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.WriteXlsx(&buf, ""); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		names := f.GetSheetList()
		for _, n := range names {
			if regexp.MustCompile(`^表\d+$`).MatchString(n) || n == "Sheet1" {
				t.Errorf("%s: sheet named %q", c.kind, n)
			}
		}
		if idx, _ := f.GetSheetIndex(c.sheet); c.sheet != "" && idx < 0 {
			t.Errorf("%s: no sheet %q among %v", c.kind, c.sheet, names)
		}
		if c.kind != report.HalfYear {
			continue
		}
		rows, err := f.GetRows("数据项", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		shown, _ := f.GetRows("数据项")
		found := false
		for i, row := range rows {
			if len(row) > 3 && row[1] == "补记记录占比" {
				found = true
				var v float64
				if _, err := fmtSscan(row[2], &v); err != nil || math.Abs(v-12.0/101) > 1e-9 {
					t.Errorf("late share cell %q, want %v", row[2], 12.0/101)
				}
				if shown[i][2] != "11.9%" || shown[i][3] != "11.9%" {
					t.Errorf("late share shown as %q beside text %q", shown[i][2], shown[i][3])
				}
			}
		}
		if !found {
			t.Error("no 补记记录占比 row in the figure sheet")
		}
	}
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
