package service

import (
	"context"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// ReplaceAllInDraft is 全部替换 from the screening panel: every finding of
// one kind in the draft's text — the same category, text and first
// suggestion, e.g. every half-width "." between Chinese characters → "。"
// — is replaced in the HTML at its own position (not every occurrence of
// the text: a "." inside a number or a web address is not a finding). The
// findings come from screening the stored text with the unit's lexicon, so
// the page and the replacement agree. It saves once, like ReplaceInDraft
// (the author's edit, or a reviewer's edit as a new version), and returns
// how many were replaced; a user error when none could be (the text
// changed, or each one spans formatting).
func (s *Service) ReplaceAllInDraft(ctx context.Context, actor store.Actor, sc access.Scope, id int64, category, old, repl string) (int, error) {
	d, err := s.st.Draft(ctx, sc, id)
	if err != nil {
		return 0, err
	}
	scr, err := s.InfoScreener(ctx, d.UnitID)
	if err != nil {
		return 0, err
	}
	fs := scr.Screen(d.BodyText)
	body, n := d.Body, 0
	// From the end, so that the offsets of the findings not yet replaced
	// still hold.
	for i := len(fs) - 1; i >= 0 && repl != ""; i-- {
		f := fs[i]
		if f.Category != category || f.Text != old || f.FirstSuggest() != repl {
			continue
		}
		if b, ok := infosub.ReplaceInHTML(body, f.RuneStart, f.Text, repl); ok {
			body, n = b, n+1
		}
	}
	if n == 0 {
		return 0, apperr.Rule("正文已变化或这些问题跨越了格式，无法全部替换，请在编辑器中修改")
	}
	body, text := infosub.NewSanitizer().Clean(body)
	if d.AuthorID == actor.UserID {
		d.Body, d.BodyText = body, text
		return n, s.UpdateDraft(ctx, actor, sc, &d)
	}
	return n, s.decide(ctx, actor, sc, id, infosub.Review{Action: infosub.ActEdit, Title: d.Title, Body: body, BodyText: text,
		Comment: fmt.Sprintf("全部替换：%s → %s（%d 处）", old, repl, n)}, nil)
}
