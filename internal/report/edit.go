package report

import (
	"fmt"
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
func (r *Report) ApplyEdit(e Edit) (map[string]string, error) {
	var errs apperr.Errors
	wording := map[string]string{}
	var kept []Block
	for i, b := range r.Blocks {
		if b.Style == "table" {
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
