package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// 舆情信息: the unit's items, near-duplicates folded into their group's
// representative with "转载 N 次", with full-text search and filters; an
// item's page shows its text with each scheme's hits highlighted and the
// other items of its group. No author appears anywhere: none is stored.

func (s *Server) opinionItems(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.opinionUnit(w, r, c)
	if !ok {
		return
	}
	ctx := r.Context()
	f := form.OpinionItemFilter(r.URL.Query(), unitID)
	items, total, err := s.st.OpinionItems(ctx, c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	sources, err := s.st.OpinionSources(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	schemes, err := s.st.OpinionSchemes(ctx, c.scope, unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	q := r.URL.Query()
	page := f.Offset/50 + 1
	pageURL := func(p int) string {
		v := cloneValues(q)
		v.Set("page", fmt.Sprint(p))
		return "/opinion/items?" + v.Encode()
	}
	d := map[string]any{
		"Title": "舆情信息", "Nav": "opinion", "Items": items, "Total": total, "F": f, "Q": q, "UnitID": unitID, "Units": units,
		"Sources": sources, "Schemes": schemes, "Page": page,
	}
	if f.Offset > 0 {
		d["Prev"] = pageURL(page - 1)
	}
	if f.Offset+len(items) < total {
		d["Next"] = pageURL(page + 1)
	}
	s.render(w, r, c, "opinion_items", d)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// highlight marks the spans of a field's text (byte offsets, as the
// opinion package reports them) with <mark>; overlapping spans merge.
func highlight(text string, spans [][2]int) template.HTML {
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var b strings.Builder
	pos := 0
	for _, sp := range spans {
		start, end := max(sp[0], pos), min(sp[1], len(text))
		if start >= end {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[pos:start]))
		b.WriteString("<mark>" + template.HTMLEscapeString(text[start:end]) + "</mark>")
		pos = end
	}
	b.WriteString(template.HTMLEscapeString(text[pos:]))
	return template.HTML(b.String())
}

func (s *Server) opinionItem(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	it, err := s.st.OpinionItem(ctx, c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	hits, err := s.st.ItemHits(ctx, c.scope, it.ID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var titleSpans, textSpans [][2]int
	for _, h := range hits {
		for _, sp := range h.Spans {
			// Field 1 is the title, 2 the text (opinion.FieldTitle, FieldText).
			switch sp[0] {
			case 1:
				titleSpans = append(titleSpans, [2]int{sp[1], sp[2]})
			case 2:
				textSpans = append(textSpans, [2]int{sp[1], sp[2]})
			}
		}
	}
	group, err := s.groupOf(ctx, c, it)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "opinion_item", map[string]any{
		"Title": "舆情信息", "Nav": "opinion", "I": it, "Hits": hits, "Group": group,
		"TitleHTML": highlight(it.Title, titleSpans), "TextHTML": highlight(it.Body, textSpans),
		"CanWrite": slices.Contains(c.scope.WriteUnits, it.UnitID),
	})
}

func (s *Server) groupOf(ctx context.Context, c *reqCtx, it store.OpinionItem) ([]store.OpinionItem, error) {
	if it.GroupID == 0 {
		return nil, nil
	}
	return s.st.GroupItems(ctx, c.scope, it.GroupID)
}
