package report

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXlsxPercentKeepsDecimal (issue 14 B6): the figure sheet's 数值 is
// what the text says — 24.6 beside 24.6%, not the whole part 24.
func TestXlsxPercentKeepsDecimal(t *testing.T) {
	r := &Report{Title: "测试", Blocks: []Block{{Style: "p", Text: "补记比例{late_rate}，共{records}条。"}},
		Figures: []*Figure{{Key: "late_rate", Label: "补记比例", Unit: "%", Value: 24, Display: "24.6%"},
			{Key: "records", Label: "台账条数", Unit: "条", Value: 57, Display: "57"}}}
	var buf bytes.Buffer
	if err := r.WriteXlsx(&buf, ""); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("数据项")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, row := range rows {
		if len(row) > 3 {
			got[row[1]] = [2]string{row[2], row[3]}
		}
	}
	if got["补记比例"] != [2]string{"24.6", "24.6%"} || got["台账条数"] != [2]string{"57", "57"} {
		t.Errorf("数值 and 文中写法: %v", got)
	}
}
