package docx

import (
	"strings"
	"testing"
)

func TestTitleLines(t *testing.T) {
	for _, c := range []struct {
		title string
		keep  []string
		want  string
	}{
		// Issue 14's example: LibreOffice wrapped it as "…工作总/结及下半年工作安排".
		{"示范区农业农村局党组2023年上半年意识形态工作总结及下半年工作安排", []string{"示范区农业农村局"},
			"示范区农业农村局党组2023年上半年|意识形态工作总结及下半年工作安排"},
		{"关于示范区农业农村局2023年度意识形态工作责任制落实情况的通报", []string{"示范区农业农村局"},
			"关于示范区农业农村局2023年度|意识形态工作责任制落实情况的通报"},
		{"短标题", nil, "短标题"},
		{"已经分好行的标题\n第二行", nil, "已经分好行的标题|第二行"},
	} {
		got := strings.Join(TitleLines(c.title, c.keep), "|")
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.title, got, c.want)
		}
		for _, l := range TitleLines(c.title, c.keep) {
			if Width(l) > TitleChars {
				t.Errorf("%s: line %s wider than %d", c.title, l, TitleChars)
			}
		}
	}
}

// TestTableHeadersFit: the 月通报's table (issue 14 B4) gave 排名 and 月任务
// columns too narrow for their header, which LibreOffice set one
// character a line; every header now fits on one line.
func TestTableHeadersFit(t *testing.T) {
	tb := Table{Header: []string{"排名", "名称", "报送", "终审通过", "发表", "采用", "积分", "月任务", "完成情况"},
		Rows:   [][]string{{"1", "农村社会事业科", "3", "2", "1", "0", "2", "2", "完成"}, {"", "合计", "17", "11", "6", "1", "13", "16", ""}},
		Widths: []int{3, 10, 3, 4, 3, 3, 3, 3, 5}}
	ws := fitHeaders(columnWidths(tb.Widths, len(tb.Header)), tb, 240)
	sum := 0
	for i, w := range ws {
		sum += w
		if need := int(lineWidth(tb.Header[i])*240) + cellPadding; w < need {
			t.Errorf("column %s is %d twips, its header needs %d", tb.Header[i], w, need)
		}
	}
	if sum != TextWidth {
		t.Errorf("columns add up to %d, want the text block %d", sum, TextWidth)
	}
}

// TestTableColumnsFromContent: the 月通报's Word table set 农田建设管理科
// on two lines while 排名 was wide (the header fitting took its room from
// the name column). Columns now get room for their content, the short
// ones first; only a name longer than the room left wraps.
func TestTableColumnsFromContent(t *testing.T) {
	tb := Table{Header: []string{"排名", "科室", "报送", "终审\n通过", "发表", "采用", "积分", "月度\n任务", "完成\n情况"},
		Rows: [][]string{{"1", "农田建设管理科", "3", "2", "1", "0", "2", "2", "完成"}, {"2", "农业综合行政执法大队", "1", "1", "0", "0", "0", "2", "未完成"},
			{"3", "示范区农业农村局", "2", "2", "1", "0", "2", "—", "—"}, {"", "合计", "17", "11", "6", "1", "13", "16", "1个未完成"}},
		Widths: []int{3, 10, 3, 4, 3, 3, 3, 3, 5}}
	ws := fitHeaders(columnWidths(tb.Widths, len(tb.Header)), tb, 240)
	sum := 0
	for _, w := range ws {
		sum += w
	}
	if sum != TextWidth {
		t.Errorf("columns add up to %d, want the text block %d", sum, TextWidth)
	}
	if need := 8*240 + cellPadding; ws[1] < need {
		t.Errorf("the name column is %d twips; 示范区农业农村局 (8 characters) needs %d", ws[1], need)
	}
	if need := int(4.5*240) + cellPadding; ws[8] < need {
		t.Errorf("the 完成情况 column is %d twips; 1个未完成 needs %d", ws[8], need)
	}
	if ws[0] > 3*240+cellPadding {
		t.Errorf("排名 is %d twips wide, more than its content needs", ws[0])
	}
}
