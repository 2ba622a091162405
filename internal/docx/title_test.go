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
