package report

import (
	"fmt"
	"regexp"
	"strings"

	"zhendi/internal/apperr"
)

// Edit is the clerk's edit of a report page: the title, the text of each
// block by index as EditText showed it (figures as 【label】), and the
// blocks whose new text becomes the unit's own wording of that template
// paragraph for later reports.
type Edit struct {
	Title string
	Texts map[int]string
	Own   map[int]bool
}

// ApplyEdit puts the edited title and texts into the report. Every
// paragraph and heading must have been posted (a table is kept as it is);
// an emptied paragraph is removed; a heading or the title cannot be
// emptied; a 【label】 must name a figure of the report. It returns the
// unit's wording to save, by paragraph key and generalised (see
// Generalise). When anything is wrong it changes nothing and returns
// apperr.Errors, one sentence per problem naming the paragraph
// ("第 3 段：…").
//
// Figures are locked (LockedFigures): a paragraph that stays must keep
// every 【figure】 it had, and may not gain a hand-typed count ("10次"), so
// no saved version can say a number the ledger does not. Refusing was
// chosen over marking such a version for the approver: a marked version
// could still be downloaded and handed in before anyone approved it,
// while a refused edit never exists. A whole paragraph may still be
// removed, which drops its sentence, not its truth.
func (r *Report) ApplyEdit(e Edit) (map[string]string, error) {
	var errs apperr.Errors
	wording := map[string]string{}
	var kept []Block
	for i, b := range r.Blocks {
		if b.Style == "table" || b.Style == "chart" {
			kept = append(kept, b)
			continue
		}
		raw, ok := e.Texts[i]
		if !ok {
			errs = append(errs, apperr.Rule(fmt.Sprintf("第 %d 段没有提交，请刷新页面后重试", i+1)))
			continue
		}
		text, err := r.ParseEditText(raw)
		if err != nil {
			errs = append(errs, apperr.Rule(fmt.Sprintf("第 %d 段：%v", i+1, err)))
			continue
		}
		if text == "" {
			if b.Style != "p" {
				errs = append(errs, apperr.Rule(fmt.Sprintf("第 %d 段：标题不能为空", i+1)))
			}
			continue // an emptied paragraph is removed
		}
		for _, msg := range r.LockedFigures(b.Text, text) {
			errs = append(errs, apperr.Rule(fmt.Sprintf("第 %d 段：%s", i+1, msg)))
		}
		b.Text = text
		if e.Own[i] && !strings.HasPrefix(b.Key, "auto.") {
			wording[b.Key] = r.Generalise(text)
		}
		kept = append(kept, b)
	}
	title := strings.TrimSpace(e.Title)
	if title == "" {
		errs = append(errs, apperr.Rule("标题不能为空"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	r.Title, r.Blocks = title, kept
	return wording, nil
}

// countRE finds a count written as digits with a measure word, the shape
// of every figure in a report ("10次", "120余条", "24.6%", full-width
// digits too); dates ("2023年7月") and ordinals have no measure word.
var countRE = regexp.MustCompile(`[0-9０-９]+(?:[.．][0-9０-９]+)?\s*余?\s*(?:人次|次|篇|条|人|项|个|场|期|名|家|%|％)`)

// LockedFigures compares a paragraph's stored text before an edit with its
// text after (both with figures as {key}) and describes each breach of the
// figure lock: a figure removed or replaced, and a count typed by hand that
// the paragraph did not have. An empty result means the edit keeps every
// figure.
func (r *Report) LockedFigures(before, after string) []string {
	var out []string
	left := map[string]int{}
	for _, m := range tokenRE.FindAllStringSubmatch(after, -1) {
		left[m[1]]++
	}
	for _, m := range tokenRE.FindAllStringSubmatch(before, -1) {
		if left[m[1]] > 0 {
			left[m[1]]--
			continue
		}
		label := m[1]
		if f := r.Figure(m[1]); f != nil {
			label = f.Label
		}
		out = append(out, fmt.Sprintf("数据项【%s】不能删除或改写，数字由台账统计；如数字不对，请修改台账后点“从台账刷新数字”", label))
	}
	had := map[string]int{}
	for _, n := range countRE.FindAllString(before, -1) {
		had[n]++
	}
	for _, n := range countRE.FindAllString(after, -1) {
		if had[n] > 0 {
			had[n]--
			continue
		}
		out = append(out, fmt.Sprintf("“%s”是手写的数字；报告中的数字只能从右侧列表插入数据项，不能手写", n))
	}
	return out
}
