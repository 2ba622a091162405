package report_test

import (
	"strings"
	"testing"

	"zhendi/internal/report"
)

// FuzzParseTemplate: any file gives a template or an error, never a panic,
// and a parsed template has keyed blocks of known styles.
func FuzzParseTemplate(f *testing.F) {
	f.Add("kind: half-year\nversion: 1\ntitle: {单位}\nrule: topic_study 2 专题研究\n---\nh1 a 一、\np b 正文{central_group}\nauto problems\n")
	f.Add("kind: annual\nversion: 2\ntitle: T\n---\n")
	f.Add("---\n")
	f.Add("kind: shuzhi\nversion: x\n")
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := report.ParseTemplate(src)
		if err != nil {
			return
		}
		for _, b := range tpl.Blocks {
			if b.Key == "" || !strings.Contains(" h1 h2 h3 p auto ", " "+b.Style+" ") {
				t.Fatalf("block %+v", b)
			}
		}
	})
}

// FuzzEditText: stored text shown for editing parses back to the same
// document text.
func FuzzEditText(f *testing.F) {
	r := &report.Report{Figures: []*report.Figure{{Key: "central_group", Label: "党组集中学习", Display: "12"}, {Key: "late", Label: "补记台账记录", Display: "3"}}}
	f.Add("今年党组集中学习{central_group}次，补记{late}条。")
	f.Add("【党组集中学习】【")
	f.Add("{unknown}【】")
	f.Fuzz(func(t *testing.T, stored string) {
		if strings.Contains(stored, "【") {
			return // 【name】 always means a figure; stored text never holds one literally
		}
		back, err := r.ParseEditText(r.EditText(stored))
		if err != nil {
			return // the stored text itself held a 【…】 that names no figure
		}
		if r.Plain(back) != r.Plain(strings.TrimSpace(strings.ReplaceAll(stored, "\r\n", "\n"))) {
			t.Fatalf("round trip changed the text: %q → %q", stored, back)
		}
	})
}
