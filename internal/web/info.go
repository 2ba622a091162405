package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"html"
	"html/template"
	"image"
	_ "image/gif" // image.DecodeConfig formats for draft images
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/infosub"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// 信息报送: drafts, 三审三校 review, screening, publication and adoption,
// lexicon, settings and the monthly bulletin.

// infoScreener returns the built-in lexicon compiled with the unit's own
// terms. Reading the terms is cheap, compiling them is not (0.27 s at 50k),
// so compiled screeners are kept per unit and reused while the unit's terms
// are unchanged; a changed list is seen on the next request.
func (s *Server) infoScreener(ctx context.Context, unitID int64) (*infosub.Screener, error) {
	terms, err := s.st.InfoTerms(ctx, unitID)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return infosub.DefaultScreener(), nil
	}
	return s.screeners.get(unitID, terms)
}

// screenerCache holds one compiled screener per unit with the fingerprint
// of the terms it was built from.
type screenerCache struct {
	mu   sync.Mutex
	byID map[int64]cachedScreener
}

type cachedScreener struct {
	sum [32]byte
	scr *infosub.Screener
}

func (c *screenerCache) get(unitID int64, terms []infosub.Term) (*infosub.Screener, error) {
	h := sha256.New()
	for _, t := range terms {
		fmt.Fprintf(h, "%q\t%q\t%d\t%q\t%q\n", t.Term, t.Category, t.Severity, t.Suggest, t.Note)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	c.mu.Lock()
	hit, ok := c.byID[unitID]
	c.mu.Unlock()
	if ok && hit.sum == sum {
		return hit.scr, nil
	}
	scr, err := infosub.NewScreener(terms)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) >= 1000 { // bound memory: start over rather than track age
		c.byID = map[int64]cachedScreener{}
	}
	c.byID[unitID] = cachedScreener{sum: sum, scr: scr}
	return scr, nil
}

func checker(scr *infosub.Screener) store.Checker {
	return func(title, text string) []string { return scr.BlockingTerms(title, text) }
}

// cleanBody sanitises the editor's HTML; plain text (no JavaScript, or a
// paste into the fallback textarea) becomes paragraphs.
func cleanBody(raw string) (body, text string) {
	if !strings.Contains(raw, "<") {
		var b strings.Builder
		for _, line := range strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				b.WriteString("<p>" + html.EscapeString(line) + "</p>")
			}
		}
		raw = b.String()
	}
	return infosub.NewSanitizer().Clean(raw)
}

func draftFromForm(r *http.Request) infosub.Draft {
	d := infosub.Draft{OrgID: formID(r.PostForm.Get("org")), Title: r.PostForm.Get("title"), Category: r.PostForm.Get("category"),
		ActivityID: formID(r.PostForm.Get("activity"))}
	d.Body, d.BodyText = cleanBody(r.PostForm.Get("body"))
	return d
}

func (s *Server) infoUnit(c *reqCtx, r *http.Request) int64 {
	if c.user.UnitID != 0 {
		if want := formID(r.URL.Query().Get("unit")); want == 0 || want == c.user.UnitID || !slices.Contains(c.scope.ReadUnits, want) {
			return c.user.UnitID
		}
	}
	return unitChoice(c, r)
}

func (s *Server) infoList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.scope.HasContent() {
		s.forbidden(w, r, c)
		return
	}
	q := r.URL.Query()
	unitID := s.infoUnit(c, r)
	f := store.DraftFilter{UnitID: unitID, OrgID: formID(q.Get("org")), Status: q.Get("status"), Month: q.Get("month"), Q: strings.TrimSpace(q.Get("q")),
		Mine: q.Get("mine") == "1", PubMonth: q.Get("pub"), Adopted: q.Get("adopted") == "1", Counted: q.Get("counted") == "1", Page: max(formInt(q.Get("page")), 1), PerPage: perPage}
	for _, m := range []*string{&f.Month, &f.PubMonth} {
		if _, _, _, err := infosub.MonthRange(*m); *m != "" && err != nil {
			*m = ""
		}
	}
	drafts, total, err := s.st.ListDrafts(r.Context(), c.scope, f)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, err := s.st.Nodes(r.Context(), []int64{unitID}, false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	pageURL := func(p int) string {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Set("page", strconv.Itoa(p))
		return "/info?" + v.Encode()
	}
	queue, err := s.st.ReviewQueue(r.Context(), c.scope, c.user.ID, c.user.Grants)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "info_list", map[string]any{
		"Title": "信息报送", "Nav": "info", "F": f, "Drafts": drafts, "Total": total, "Pages": (total + perPage - 1) / perPage,
		"Prev": pageURL(f.Page - 1), "Next": pageURL(f.Page + 1), "Nodes": nodes, "Statuses": infoStatuses(), "QueueN": len(queue),
		"CanWrite": !c.scope.IsReadOnly(), "CanManage": slices.Contains(c.scope.WriteUnits, unitID),
	})
}

type statusOpt struct{ Code, Label string }

func infoStatuses() []statusOpt {
	var out []statusOpt
	for _, st := range []infosub.Status{infosub.StatusDraft, infosub.StatusReview, infosub.StatusReturned, infosub.StatusApproved, infosub.StatusPublished, infosub.StatusWithdrawn} {
		out = append(out, statusOpt{string(st), st.Label()})
	}
	return out
}

func (s *Server) infoQueue(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	queue, err := s.st.ReviewQueue(r.Context(), c.scope, c.user.ID, c.user.Grants)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "info_queue", map[string]any{"Title": "待我审核", "Nav": "info", "Queue": queue, "Now": s.now().Unix()})
}

// editorData is what the draft editor needs.
func (s *Server) editorData(ctx context.Context, c *reqCtx, d infosub.Draft, errMsg string) (map[string]any, error) {
	unitID := d.UnitID
	if unitID == 0 {
		unitID = c.user.UnitID
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return nil, err
	}
	var orgs []org.Node
	for _, n := range nodes {
		if c.scope.CanWrite(unitID, n.ID) {
			orgs = append(orgs, n)
		}
	}
	// The latest ledger entries, to link the information to an activity.
	acts, _, err := s.st.ListActivities(ctx, c.scope, ledger.Filter{UnitID: unitID, PerPage: 100, Page: 1})
	if err != nil {
		return nil, err
	}
	title := "撰写信息"
	if d.ID != 0 {
		title = "修改信息"
	}
	return map[string]any{"Title": title, "Nav": "info", "D": d, "Orgs": orgs, "Categories": infosub.Categories, "Acts": acts,
		"Error": errMsg, "BodyHTML": template.HTML(infosub.NewSanitizer().Sanitize(d.Body))}, nil // sanitised on save too; again here so no path can skip it
}

func (s *Server) infoNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if c.scope.IsReadOnly() || c.user.UnitID == 0 {
		s.forbidden(w, r, c)
		return
	}
	data, err := s.editorData(r.Context(), c, infosub.Draft{OrgID: c.user.OrgID, Category: infosub.Categories[0]}, "")
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.render(w, r, c, "info_form", data)
}

func (s *Server) infoFormError(w http.ResponseWriter, r *http.Request, c *reqCtx, d infosub.Draft, err error) {
	msg := err.Error()
	if s.unlessUserError(w, r, c, err) {
		return
	}
	data, derr := s.editorData(r.Context(), c, d, msg)
	if derr != nil {
		s.httpError(w, r, c, derr)
		return
	}
	s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "info_form", data)
}

func (s *Server) infoCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "表单格式错误", http.StatusBadRequest)
		return
	}
	d := draftFromForm(r)
	if err := s.st.CreateDraft(r.Context(), c.actor(), c.scope, &d); err != nil {
		s.infoFormError(w, r, c, d, err)
		return
	}
	if r.PostForm.Get("then") == "submit" {
		s.submitAndRedirect(w, r, c, d.ID)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=saved", d.ID))
}

func (s *Server) submitAndRedirect(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64) {
	d, err := s.st.Draft(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	scr, err := s.infoScreener(r.Context(), d.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.st.SubmitDraft(r.Context(), c.actor(), c.scope, id, strings.TrimSpace(r.PostForm.Get("comment")), checker(scr)); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	s.notifyStep(r.Context(), id, c)
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_submitted", id))
}

// notifyStep sends an in-app notification (the supervision module's
// channel) to everyone who may decide the draft's current step. Failures
// are logged, not shown: the draft is already in the reviewer's queue.
func (s *Server) notifyStep(ctx context.Context, id int64, c *reqCtx) {
	d, err := s.st.Draft(ctx, c.scope, id)
	if err != nil || d.Status != infosub.StatusReview || d.Step >= len(d.Chain) {
		return
	}
	ids, err := s.st.StepReviewers(ctx, d)
	if err != nil {
		s.log.Warn("info reviewers", "draft", id, "err", err)
		return
	}
	step := d.Chain[d.Step]
	key := fmt.Sprintf("info:%d:%d:%d", d.ID, d.Cycle, d.Step)
	body := fmt.Sprintf("%s报送的信息「%s」待%s, 请于 %s 前处理。", d.OrgName, d.Title, step.Name, fmtUnix(d.StepDue))
	if err := s.st.Notify(ctx, d.UnitID, ids, key, "待审核信息: "+d.Title, body, fmt.Sprintf("/info/%d", d.ID)); err != nil {
		s.log.Warn("info notify", "draft", id, "err", err)
	}
}

func (s *Server) infoEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	d, err := s.st.Draft(r.Context(), c.scope, formID(r.PathValue("id")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data, err := s.editorData(r.Context(), c, d, "")
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	// A reviewer edits inside the review: the form posts a review action.
	data["ReviewEdit"] = d.AuthorID != c.user.ID
	s.render(w, r, c, "info_form", data)
}

func (s *Server) infoUpdate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "表单格式错误", http.StatusBadRequest)
		return
	}
	d := draftFromForm(r)
	d.ID = formID(r.PathValue("id"))
	if err := s.st.UpdateDraft(r.Context(), c.actor(), c.scope, &d); err != nil {
		s.infoFormError(w, r, c, d, err)
		return
	}
	if r.PostForm.Get("then") == "submit" {
		s.submitAndRedirect(w, r, c, d.ID)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=saved", d.ID))
}

func (s *Server) infoSubmit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.submitAndRedirect(w, r, c, formID(r.PathValue("id")))
}

func (s *Server) infoWithdraw(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.st.WithdrawDraft(r.Context(), c.actor(), c.scope, id, strings.TrimSpace(r.PostForm.Get("comment"))); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_withdrawn", id))
}

func (s *Server) infoDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.st.DeleteDraft(r.Context(), c.actor(), c.scope, id); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, "/info?mine=1&ok=info_deleted")
}

func (s *Server) infoReview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	d, err := s.st.Draft(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	rv := store.Review{Action: infosub.Action(r.PostForm.Get("action")), Comment: r.PostForm.Get("comment")}
	switch rv.Action {
	case infosub.ActApprove, infosub.ActReturn, infosub.ActProof, infosub.ActOverride:
	case infosub.ActEdit:
		rv.Title = r.PostForm.Get("title")
		rv.Body, rv.BodyText = cleanBody(r.PostForm.Get("body"))
	default:
		s.infoShowError(w, r, c, id, apperr.Rule("请选择审核意见"))
		return
	}
	scr, err := s.infoScreener(r.Context(), d.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if err := s.st.ReviewDraft(r.Context(), c.actor(), c.scope, id, rv, checker(scr)); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	if rv.Action == infosub.ActApprove {
		s.notifyStep(r.Context(), id, c)
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_%s", id, rv.Action))
}

// infoReplace is one-click replace from the screening panel: it edits the
// text node in the HTML and saves (the author's draft) or records a
// reviewer edit (a new version).
func (s *Server) infoReplace(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	d, err := s.st.Draft(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	old, repl := r.PostForm.Get("old"), r.PostForm.Get("new")
	body, ok := infosub.ReplaceInHTML(d.Body, formInt(r.PostForm.Get("at")), old, repl)
	if !ok || old == "" {
		s.infoShowError(w, r, c, id, apperr.Rule("正文已变化或该处跨越了格式, 无法一键替换, 请在编辑器中修改"))
		return
	}
	body, text := infosub.NewSanitizer().Clean(body)
	if d.AuthorID == c.user.ID {
		d.Body, d.BodyText = body, text
		err = s.st.UpdateDraft(r.Context(), c.actor(), c.scope, &d)
	} else {
		err = s.st.ReviewDraft(r.Context(), c.actor(), c.scope, id, store.Review{Action: infosub.ActEdit, Title: d.Title, Body: body, BodyText: text,
			Comment: "一键替换: " + old + " → " + repl}, nil)
	}
	if err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_replaced#screen", id))
}

func (s *Server) infoShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderInfo(w, r, c, formID(r.PathValue("id")), "", http.StatusOK)
}

func (s *Server) infoShowError(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, err error) {
	if s.unlessUserError(w, r, c, err) {
		return
	}
	s.renderInfo(w, r, c, id, err.Error(), http.StatusUnprocessableEntity)
}

// markedSegment is a piece of the screened text, highlighted or not.
type markedSegment struct {
	Text    string
	Finding *infosub.Finding
	N       int
}

func segments(text string, fs []infosub.Finding) []markedSegment {
	var out []markedSegment
	pos := 0
	for i := range fs {
		f := &fs[i]
		if f.Start < pos {
			continue // overlapping rule finding: shown in the list only
		}
		if f.Start > pos {
			out = append(out, markedSegment{Text: text[pos:f.Start]})
		}
		out = append(out, markedSegment{Text: text[f.Start:f.End], Finding: f, N: i + 1})
		pos = f.End
	}
	if pos < len(text) {
		out = append(out, markedSegment{Text: text[pos:]})
	}
	return out
}

func (s *Server) renderInfo(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, errMsg string, status int) {
	ctx := r.Context()
	d, err := s.st.Draft(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	versions, decisions, err := s.st.DraftHistory(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	pubs, err := s.st.Publications(ctx, c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	scr, err := s.infoScreener(ctx, d.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	cfg, err := s.st.InfoConfig(ctx, d.UnitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	findings := scr.Screen(d.BodyText)
	titleFindings := scr.Screen(d.Title)
	var cycle []infosub.Decision
	overridden := map[string]bool{}
	for _, x := range decisions {
		if x.Cycle == d.Cycle {
			cycle = append(cycle, x)
		}
	}
	chain := d.Chain
	if len(chain) == 0 {
		chain = cfg.Chain
	}
	st := infosub.ReviewState{Status: d.Status, Step: d.Step, Chain: chain, AuthorID: d.AuthorID, UnitID: d.UnitID, OrgID: d.OrgID,
		Cycle: cycle, ProofRounds: cfg.ProofRounds}
	can := func(a infosub.Action) bool { return infosub.CanReview(st, c.user.ID, c.user.Grants, a) == nil }
	approveErr := ""
	if err := infosub.CanReview(st, c.user.ID, c.user.Grants, infosub.ActApprove); err != nil && can(infosub.ActReturn) {
		approveErr = err.Error()
	}
	author := d.AuthorID == c.user.ID
	editable := author && (d.Status == infosub.StatusDraft || d.Status == infosub.StatusReturned)
	reviewer := can(infosub.ActReturn)
	blocking := 0
	for _, f := range append(append([]infosub.Finding{}, findings...), titleFindings...) {
		if f.Blocking() {
			blocking++
		}
	}
	_ = overridden
	// Default diff: the previous version against the latest.
	diffFrom, diffTo := 0, 0
	if n := len(versions); n >= 2 {
		diffFrom, diffTo = versions[n-2].Version, versions[n-1].Version
	}
	s.renderStatus(w, r, c, status, "info_show", map[string]any{
		"Title": d.Title, "Nav": "info", "D": d, "Error": errMsg,
		"Body":     template.HTML(infosub.NewSanitizer().Sanitize(d.Body)),
		"Segments": segments(d.BodyText, findings), "Findings": findings, "TitleFindings": titleFindings, "Blocking": blocking,
		"Versions": versions, "Decisions": decisions, "Pubs": pubs, "Levels": infosub.Levels, "Points": cfg.Points,
		"Editable": editable, "Author": author, "Reviewer": reviewer, "CanApprove": can(infosub.ActApprove), "ApproveErr": approveErr,
		"CanProof": can(infosub.ActProof), "CanOverride": can(infosub.ActOverride) && blocking > 0,
		"CanWithdraw": author && infosub.Allowed(d.Status, infosub.ActWithdraw), "CanSubmit": editable,
		"CanDelete": editable && d.Cycle == 0, "CanPublish": slices.Contains(c.scope.WriteUnits, d.UnitID) && (d.Status == infosub.StatusApproved || d.Status == infosub.StatusPublished),
		"CanReplace": editable || reviewer, "Proofs": infosub.ProofCount(cycle), "ProofRounds": cfg.ProofRounds,
		"DiffFrom": diffFrom, "DiffTo": diffTo, "Chain": chain, "Today": s.now().In(cntime.Zone).Format(cntime.DateLayout),
	})
}

func (s *Server) infoDiff(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	d, err := s.st.Draft(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	versions, _, err := s.st.DraftHistory(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	from, to := formInt(r.URL.Query().Get("from")), formInt(r.URL.Query().Get("to"))
	var a, b *infosub.Version
	for i := range versions {
		if versions[i].Version == from {
			a = &versions[i]
		}
		if versions[i].Version == to {
			b = &versions[i]
		}
	}
	current := infosub.Version{Version: 0, Title: d.Title, BodyText: d.BodyText, Note: "当前文本"}
	if b == nil {
		b = &current
	}
	if a == nil {
		a = &infosub.Version{Note: "空"}
	}
	ops := infosub.Diff(a.Title+"\n"+a.BodyText, b.Title+"\n"+b.BodyText)
	del, ins := infosub.DiffStats(ops)
	s.render(w, r, c, "info_diff", map[string]any{"Title": "修改对照", "Nav": "info", "D": d, "A": a, "B": b, "Ops": ops,
		"Deleted": del, "Inserted": ins, "Versions": versions})
}

func (s *Server) infoPublish(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	p := infosub.Publication{DraftID: id, Level: r.PostForm.Get("level"), Outlet: r.PostForm.Get("outlet"), URL: r.PostForm.Get("url"),
		Date: form.HalfWidthDigits(strings.TrimSpace(r.PostForm.Get("date")))}
	if err := s.st.AddPublication(r.Context(), c.actor(), c.scope, &p); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=info_published", id))
}

func (s *Server) infoPublicationDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.st.RemovePublication(r.Context(), c.actor(), c.scope, id, formID(r.PathValue("pid"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d?ok=saved", id))
}

// infoImageUpload stores a type-checked image and appends it to the
// author's draft.
func (s *Server) infoImageUpload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := formID(r.PathValue("id"))
	if err := s.parseForm(r); err != nil {
		s.infoShowError(w, r, c, id, apperr.Rule("图片过大或上传格式错误"))
		return
	}
	files, err := s.readUploads(r, "image")
	if err == nil && len(files) == 0 {
		err = apperr.Rule("请选择图片")
	}
	if err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	d, err := s.st.Draft(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	if d.AuthorID != c.user.ID {
		s.infoShowError(w, r, c, id, apperr.Rule("只有撰写人可以插入图片"))
		return
	}
	for _, f := range files {
		// The signature says image; decoding the header says it really is one.
		if _, _, err := image.DecodeConfig(bytes.NewReader(f.data)); err != nil || !strings.HasPrefix(f.att.Mime, "image/") {
			s.infoShowError(w, r, c, id, apperr.Rule(fmt.Sprintf("「%s」不是有效的图片, 仅接受 PNG、JPEG、GIF", f.att.Name)))
			return
		}
	}
	for _, f := range files {
		img := store.InfoImage{Name: f.att.Name, Mime: f.att.Mime}
		if err := s.st.AddInfoImage(r.Context(), c.actor(), c.scope, id, &img, f.data); err != nil {
			s.infoShowError(w, r, c, id, err)
			return
		}
		d.Body += fmt.Sprintf(`<p><img src="/info/%d/img/%d" alt="%s"></p>`, id, img.ID, html.EscapeString(strings.ReplaceAll(img.Name, `"`, "")))
	}
	d.Body, d.BodyText = infosub.NewSanitizer().Clean(d.Body)
	if err := s.st.UpdateDraft(r.Context(), c.actor(), c.scope, &d); err != nil {
		s.infoShowError(w, r, c, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/info/%d/edit?ok=uploaded", id))
}

func (s *Server) infoImage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	img, f, err := s.st.OpenInfoImage(r.Context(), c.scope, formID(r.PathValue("id")), formID(r.PathValue("iid")))
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	defer f.Close()
	if !strings.HasPrefix(img.Mime, "image/") || img.Mime == "image/svg+xml" {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	w.Header().Set("Content-Type", img.Mime)
	w.Header().Set("Content-Security-Policy", "sandbox")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", timeOf(0), f)
}

// ---- bulletin ----

func (s *Server) bulletinFor(r *http.Request, c *reqCtx) (infosub.Bulletin, error) {
	month := r.URL.Query().Get("month")
	if month == "" {
		// On the 1st the clerk publishes last month's bulletin.
		month = s.now().In(cntime.Zone).AddDate(0, -1, 0).Format("2006-01")
	}
	unitID := s.infoUnit(c, r)
	if r.URL.Query().Get("unit") == "all" && (len(c.scope.ReadUnits) > 1 || c.user.UnitID == 0) {
		unitID = 0
	}
	return s.st.InfoBulletin(r.Context(), c.scope, unitID, month)
}

func (s *Server) infoBulletin(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		if apperr.IsUser(err) { // a bad month
			s.renderStatus(w, r, c, http.StatusUnprocessableEntity, "error", map[string]any{"Title": "月份无效", "Message": err.Error()})
			return
		}
		s.httpError(w, r, c, err)
		return
	}
	units, err := s.unitNodes(r.Context(), c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	unit := r.URL.Query().Get("unit")
	s.render(w, r, c, "info_bulletin", map[string]any{"Title": "信息编发月通报", "Nav": "info", "B": b, "Units": units, "Unit": unit,
		"Query": "month=" + url.QueryEscape(b.Month) + "&unit=" + url.QueryEscape(unit), "District": len(c.scope.ReadUnits) > 1 || c.user.UnitID == 0})
}

func (s *Server) infoBulletinDOCX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, b.Doc()); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.download(w, b.Scope+"信息编发月通报"+b.Month+".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buf.Bytes())
}

func (s *Server) infoBulletinXLSX(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, err := s.bulletinFor(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data, err := b.XLSX()
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	s.download(w, b.Scope+"信息编发月通报"+b.Month+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
}

func (s *Server) download(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// ---- lexicon and settings ----

func (s *Server) manageUnit(w http.ResponseWriter, r *http.Request, c *reqCtx) (int64, bool) {
	unitID := s.infoUnit(c, r)
	if unitID == 0 || !slices.Contains(c.scope.ReadUnits, unitID) {
		s.forbidden(w, r, c)
		return 0, false
	}
	return unitID, true
}

func (s *Server) infoLexicon(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderLexicon(w, r, c, "", http.StatusOK)
}

func (s *Server) renderLexicon(w http.ResponseWriter, r *http.Request, c *reqCtx, errMsg string, status int) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	terms, err := s.st.InfoTerms(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	counts := map[string]int{}
	for _, t := range infosub.DefaultTerms() {
		counts[t.Category]++
	}
	type catCount struct {
		Cat string
		N   int
	}
	var builtin []catCount
	for _, cat := range infosub.TermCategories {
		builtin = append(builtin, catCount{cat, counts[cat]})
	}
	var sample string
	if t := r.URL.Query().Get("test"); t != "" {
		sample = t
	}
	var sampleFindings []infosub.Finding
	if sample != "" {
		scr, err := s.infoScreener(r.Context(), unitID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		sampleFindings = scr.Screen(sample)
	}
	s.renderStatus(w, r, c, status, "info_lexicon", map[string]any{"Title": "筛查词库", "Nav": "info", "Terms": terms, "Builtin": builtin,
		"Categories": infosub.TermCategories, "CanManage": slices.Contains(c.scope.WriteUnits, unitID), "Error": errMsg,
		"Sample": sample, "SampleFindings": sampleFindings})
}

func (s *Server) infoLexiconAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	t := infosub.Term{Term: r.PostForm.Get("term"), Category: r.PostForm.Get("category"), Severity: formInt(r.PostForm.Get("severity")),
		Suggest: r.PostForm.Get("suggest"), Note: r.PostForm.Get("note")}
	if _, err := s.st.SaveInfoTerms(r.Context(), c.actor(), c.scope, unitID, []infosub.Term{t}); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.forbidden(w, r, c)
			return
		}
		s.renderLexicon(w, r, c, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	redirect(w, r, "/info/lexicon?ok=saved")
}

func (s *Server) infoLexiconImport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		s.renderLexicon(w, r, c, "文件过大或上传格式错误", http.StatusUnprocessableEntity)
		return
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) == 0 {
		s.renderLexicon(w, r, c, "请选择 TSV 文件", http.StatusUnprocessableEntity)
		return
	}
	data, err := readPart(fhs[0], 4<<20)
	if err != nil {
		s.renderLexicon(w, r, c, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	terms, err := infosub.ParseTermsTSV(data)
	if err == nil && len(terms) == 0 {
		err = apperr.Rule("文件中没有词条")
	}
	if err == nil {
		_, err = s.st.SaveInfoTerms(r.Context(), c.actor(), c.scope, unitID, terms)
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.forbidden(w, r, c)
			return
		}
		s.renderLexicon(w, r, c, "导入失败, 未导入任何词条: "+err.Error(), http.StatusUnprocessableEntity)
		return
	}
	redirect(w, r, "/info/lexicon?ok=info_imported")
}

func (s *Server) infoLexiconExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	terms := infosub.DefaultTerms()
	name := "内置筛查词库.tsv"
	if r.URL.Query().Get("builtin") != "1" {
		var err error
		if terms, err = s.st.InfoTerms(r.Context(), unitID); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		name = "本单位筛查词库.tsv"
	}
	s.download(w, name, "text/tab-separated-values; charset=utf-8", infosub.FormatTermsTSV(terms))
}

func (s *Server) infoLexiconDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	if err := s.st.DeleteInfoTerm(r.Context(), c.actor(), c.scope, unitID, formID(r.PathValue("tid"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/info/lexicon?ok=saved")
}

func (s *Server) infoSettings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderSettings(w, r, c, nil, "", http.StatusOK)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, c *reqCtx, cfg *infosub.Config, errMsg string, status int) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	if cfg == nil {
		got, err := s.st.InfoConfig(r.Context(), unitID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		cfg = &got
	}
	quotas, err := s.st.InfoQuotas(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	nodes, err := s.st.Nodes(r.Context(), []int64{unitID}, false)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	type deptQuota struct {
		Node  org.Node
		Quota int
		Own   bool
	}
	var depts []deptQuota
	for _, n := range nodes {
		if n.Kind == org.Department {
			q, own := quotas[n.ID]
			if !own {
				q = cfg.Quota
			}
			depts = append(depts, deptQuota{n, q, own})
		}
	}
	// Up to five chain rows; empty ones are dropped on save.
	steps := append(infosub.Chain{}, cfg.Chain...)
	for len(steps) < 5 {
		steps = append(steps, infosub.Step{})
	}
	s.renderStatus(w, r, c, status, "info_settings", map[string]any{"Title": "信息报送设置", "Nav": "info", "Cfg": cfg, "Steps": steps,
		"Roles": infosub.ReviewRoles, "Levels": infosub.Levels, "Depts": depts, "Error": errMsg,
		"CanManage": slices.Contains(c.scope.WriteUnits, unitID)})
}

func (s *Server) infoSettingsSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	cfg := infosub.Config{Points: infosub.Points{}, Quota: formInt(r.PostForm.Get("quota")), ProofRounds: formInt(r.PostForm.Get("proof_rounds")),
		StepDays: formInt(r.PostForm.Get("step_days"))}
	for i := range 5 {
		name := strings.TrimSpace(r.PostForm.Get(fmt.Sprintf("step%d_name", i)))
		if name == "" {
			continue
		}
		st := infosub.Step{Name: name, Dept: r.PostForm.Get(fmt.Sprintf("step%d_dept", i)) == "1"}
		for _, role := range r.PostForm[fmt.Sprintf("step%d_roles", i)] {
			st.Roles = append(st.Roles, access.Role(role))
		}
		cfg.Chain = append(cfg.Chain, st)
	}
	for _, l := range infosub.Levels {
		cfg.Points[l.Code] = formInt(r.PostForm.Get("points_" + l.Code))
	}
	if err := s.st.SetInfoConfig(r.Context(), c.actor(), c.scope, unitID, cfg); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.forbidden(w, r, c)
			return
		}
		s.renderSettings(w, r, c, &cfg, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	redirect(w, r, "/info/settings?ok=saved")
}

func (s *Server) infoQuotaSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	q := -1
	if v := strings.TrimSpace(r.PostForm.Get("monthly")); v != "" {
		n, err := strconv.Atoi(form.HalfWidthDigits(v))
		if err != nil || n < 0 {
			s.renderSettings(w, r, c, nil, "每月任务数: 应为 0 到 100 的整数", http.StatusUnprocessableEntity)
			return
		}
		q = n
	}
	if err := s.st.SetInfoQuota(r.Context(), c.actor(), c.scope, unitID, formID(r.PostForm.Get("org")), q); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.forbidden(w, r, c)
			return
		}
		s.renderSettings(w, r, c, nil, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	redirect(w, r, "/info/settings?ok=saved")
}
