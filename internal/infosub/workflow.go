package infosub

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
)

// The workflow rules below run inside the store's transaction: the store
// locks the draft, reads the Facts beside it and calls the rule, which
// changes the draft in place and says in a Change what to record. So every
// rule and every sentence shown to users is here, and the store only saves.

// MaxProofRounds is the most 三校 proofreading rounds a review cycle has,
// and so the most a unit may require before 终审.
const MaxProofRounds = 3

// Facts are what the store reads in the same transaction as the locked
// draft, for a rule to judge by.
type Facts struct {
	// Config is the unit's settings (chain, points, proof rounds, time limits).
	Config Config
	// Cycle holds the decisions of the draft's current cycle, oldest first.
	Cycle []Decision
	// Passed lists the blocking terms reviewers let pass on this draft
	// (override decisions of any cycle).
	Passed []string
	// Grants are the acting user's roles, as stored now.
	Grants []access.Grant
	// Now is the transaction's time.
	Now time.Time
}

// Change is what a workflow rule decided, for the store to record. The rule
// has already changed the draft itself.
type Change struct {
	// Decision is logged on the draft; the store adds the draft, the user
	// and the time.
	Decision Decision
	// Terms are the blocking terms an override lets pass.
	Terms []string
	// VersionNote, when set, stores the draft's text as version d.Version
	// with this note ("提交", "复审修改").
	VersionNote string
	// Save is set when the draft row changed.
	Save bool
}

// Rule is a workflow rule as the store runs it: on the draft it locked,
// with the facts it read in the same transaction. The service builds one
// from Submit, Withdraw, Decide or Publish and the request.
type Rule func(d *Draft, f Facts) (Change, error)

// Checker screens a title and text and returns the blocking terms found
// (Screener.BlockingTerms); nil finds nothing.
type Checker func(title, text string) []string

// ErrBlocked lists blocking findings that no reviewer has let pass. It is a
// user error (errors.As finds an *apperr.Error through Unwrap).
type ErrBlocked struct{ Terms []string }

func (e *ErrBlocked) Error() string {
	return "筛查发现阻断性问题：" + strings.Join(e.Terms, "、") + "。请修改，或由审核人填写理由后放行"
}

// Unwrap makes the finding a user error, shown beside the draft.
func (e *ErrBlocked) Unwrap() error { return apperr.Rule(e.Error()) }

// Blocked returns an *ErrBlocked with the blocking terms of the draft's
// title and text that are not among passed, or nil.
func Blocked(d Draft, check Checker, passed []string) error {
	if check == nil {
		return nil
	}
	var bad []string
	for _, t := range check(d.Title, d.BodyText) {
		if !slices.Contains(passed, t) && !slices.Contains(bad, t) {
			bad = append(bad, t)
		}
	}
	if len(bad) > 0 {
		return &ErrBlocked{Terms: bad}
	}
	return nil
}

// decisionOf is the log entry of action a on the draft as it stands.
func decisionOf(d Draft, a Action, comment string) Decision {
	return Decision{DraftID: d.ID, Cycle: d.Cycle, Step: d.Step, StepName: d.StepName(), Action: a, Comment: comment, Version: d.Version}
}

// Editable reports whether the user may change the draft's text as its
// author: their own draft, not yet submitted or returned to them.
func Editable(d Draft, userID int64) bool {
	return d.AuthorID == userID && (d.Status == StatusDraft || d.Status == StatusReturned)
}

// CanEdit says why the user may not save changes to the draft, or nil.
func CanEdit(d Draft, userID int64) error {
	if d.AuthorID != userID {
		return apperr.Rule("只有撰写人可以修改草稿；审核人请在审核时修改")
	}
	if !Editable(d, userID) {
		return apperr.Rule(fmt.Sprintf("信息%s，不能修改", d.Status.Label()))
	}
	return nil
}

// CanDelete says why the user may not delete the draft, or nil: only the
// author, and only a draft that was never submitted.
func CanDelete(d Draft, userID int64) error {
	if d.AuthorID != userID || d.Status != StatusDraft || d.Cycle != 0 {
		return apperr.Rule("只有撰写人可以删除从未提交的草稿；已提交的信息请撤回")
	}
	return nil
}

// Refs are the records a draft names, as the store found them.
type Refs struct {
	// OrgUnitID is the unit of the draft's department, 0 when there is no
	// such live organisation node; OrgKind its kind (org.Department, …).
	OrgUnitID int64
	OrgKind   string
	// ActivityUnitID is the unit of the linked ledger activity, 0 when none
	// is linked or it does not exist.
	ActivityUnitID int64
}

// CheckRefs checks the department and linked activity of a draft the
// scope's user writes, and sets d.UnitID from the department. A draft that
// already has a unit (an edit) cannot move to another.
func CheckRefs(d *Draft, r Refs, sc access.Scope) error {
	if r.OrgUnitID == 0 || r.OrgKind == org.District {
		return apperr.Field("报送科室", "不存在")
	}
	if !sc.CanWrite(r.OrgUnitID, d.OrgID) {
		return apperr.Field("报送科室", "无权以该科室名义报送")
	}
	if d.UnitID != 0 && d.UnitID != r.OrgUnitID {
		return apperr.Field("报送科室", "不能改到其他单位")
	}
	d.UnitID = r.OrgUnitID
	if d.ActivityID != 0 && r.ActivityUnitID != d.UnitID {
		return apperr.Field("关联台账", "所选活动不存在")
	}
	return nil
}

// Edit applies the author's changes (department, title, text, category,
// linked activity; already validated) to the locked draft d.
func Edit(d *Draft, userID int64, in Draft, r Refs, sc access.Scope) error {
	if err := CanEdit(*d, userID); err != nil {
		return err
	}
	d.OrgID, d.Title, d.Body, d.BodyText, d.Category, d.ActivityID = in.OrgID, in.Title, in.Body, in.BodyText, in.Category, in.ActivityID
	return CheckRefs(d, r, sc)
}

// Submit sends the author's draft (new or returned) to the first review
// step with the unit's chain as it is now, starting a new cycle. Blocking
// findings must have been let pass.
func Submit(d *Draft, f Facts, userID int64, comment string, check Checker) (Change, error) {
	if d.AuthorID != userID {
		return Change{}, apperr.Rule("只有撰写人可以提交")
	}
	if !Allowed(d.Status, ActSubmit) {
		return Change{}, apperr.Rule(fmt.Sprintf("信息%s，不能提交", d.Status.Label()))
	}
	if strings.TrimSpace(d.BodyText) == "" {
		return Change{}, apperr.Field("正文", "不能为空")
	}
	if err := Blocked(*d, check, f.Passed); err != nil {
		return Change{}, err
	}
	note := "提交"
	if d.Status == StatusReturned {
		note = "退回后重新提交"
	}
	d.Version++
	d.Status, d.Step, d.Chain = StatusReview, 0, f.Config.Chain
	d.Cycle++
	if d.SubmittedDate == "" { // the first submission dates the draft for the figures
		d.SubmittedDate = cntime.Date(f.Now)
	}
	if d.SubmittedAt == 0 {
		d.SubmittedAt = f.Now.Unix()
	}
	d.StepDue = stepDue(f)
	return Change{Decision: decisionOf(*d, ActSubmit, comment), VersionNote: note, Save: true}, nil
}

// stepDue is when a step started now must be decided.
func stepDue(f Facts) int64 { return f.Now.Unix() + int64(f.Config.StepDays)*86400 }

// CanWithdraw says why the user may not withdraw the draft, or nil: only
// the author, and only a draft that was submitted (a draft never submitted
// is deleted, not withdrawn) and is not yet through 终审.
func CanWithdraw(d Draft, userID int64) error {
	if d.AuthorID != userID {
		return apperr.Rule("只有撰写人可以撤回")
	}
	if d.Cycle == 0 {
		return apperr.Rule("草稿尚未提交，无需撤回；不需要时可以删除")
	}
	if !Allowed(d.Status, ActWithdraw) {
		return apperr.Rule(fmt.Sprintf("信息%s，不能撤回", d.Status.Label()))
	}
	return nil
}

// Withdraw is the author taking a draft back before 终审 (CanWithdraw).
func Withdraw(d *Draft, userID int64, comment string) (Change, error) {
	if err := CanWithdraw(*d, userID); err != nil {
		return Change{}, err
	}
	ch := Change{Decision: decisionOf(*d, ActWithdraw, comment), Save: true}
	d.Status, d.StepDue = StatusWithdrawn, 0
	return ch, nil
}

// Review is one reviewer decision as asked for.
type Review struct {
	Action  Action // approve, return, proof, override, edit
	Comment string
	// Title, Body and BodyText are the reviewer's new text (ActEdit; Body
	// sanitised).
	Title, Body, BodyText string
}

// Validate checks that the review names a reviewer's action.
func (rv Review) Validate() error {
	switch rv.Action {
	case ActApprove, ActReturn, ActProof, ActOverride, ActEdit:
		return nil
	}
	return apperr.Rule("请选择审核意见")
}

// ReviewStateOf is what CanReview judges draft d by, given the unit's
// settings and the decisions of the draft's current cycle. A draft not yet
// submitted has no chain of its own: an override on it is judged by the
// unit's chain.
func ReviewStateOf(d Draft, cfg Config, cycle []Decision) ReviewState {
	chain := d.Chain
	if len(chain) == 0 {
		chain = cfg.Chain
	}
	return ReviewState{Status: d.Status, Step: d.Step, Chain: chain, AuthorID: d.AuthorID, UnitID: d.UnitID,
		OrgID: d.OrgID, Cycle: cycle, ProofRounds: cfg.ProofRounds, ProofDistinct: cfg.ProofDistinct}
}

// Decide applies reviewer decision rv by userID to the locked draft d:
// CanReview decides who may, then each action's own rules apply (a return
// and an override need a reason, an approval needs the blocking findings
// let pass, an edit a changed text, a proofreading round a free round).
func Decide(d *Draft, f Facts, userID int64, rv Review, check Checker) (Change, error) {
	rv.Comment = strings.TrimSpace(rv.Comment)
	if err := CanReview(ReviewStateOf(*d, f.Config, f.Cycle), userID, f.Grants, rv.Action); err != nil {
		return Change{}, err
	}
	ch := Change{Decision: decisionOf(*d, rv.Action, rv.Comment)}
	switch rv.Action {
	case ActReturn:
		if rv.Comment == "" {
			return Change{}, apperr.Field("退回意见", "不能为空")
		}
		d.Status, d.StepDue = StatusReturned, 0
		ch.Save = true
	case ActApprove:
		if err := Blocked(*d, check, f.Passed); err != nil {
			return Change{}, err
		}
		if d.Step+1 < len(d.Chain) {
			d.Step++
			d.StepDue = stepDue(f)
		} else {
			d.Status, d.StepDue, d.ApprovedAt = StatusApproved, 0, f.Now.Unix()
		}
		ch.Save = true
	case ActEdit:
		nd := *d
		nd.Title, nd.Body, nd.BodyText = strings.TrimSpace(rv.Title), rv.Body, rv.BodyText
		if err := nd.Validate(); err != nil {
			return Change{}, err
		}
		if nd.Title == d.Title && nd.Body == d.Body {
			return Change{}, apperr.Rule("正文和标题都没有改动")
		}
		nd.Version++
		*d = nd
		ch.Decision.Version, ch.VersionNote, ch.Save = d.Version, d.StepName()+"修改", true
	case ActProof:
		// CanReview has applied the 三校 rule (canProof).
		ch.Decision.Round = ProofCount(f.Cycle) + 1
	case ActOverride:
		if rv.Comment == "" {
			return Change{}, apperr.Field("放行理由", "不能为空")
		}
		if check != nil {
			ch.Terms = check(d.Title, d.BodyText)
		}
		if len(ch.Terms) == 0 {
			return Change{}, apperr.Rule("当前文本没有需要放行的阻断性问题")
		}
	}
	return ch, nil
}

// AwaitsDecisionBy reports whether a user with these grants may decide the
// draft's current review step (the review queue; the author and earlier
// approvers are left out by the caller).
func (d Draft) AwaitsDecisionBy(grants []access.Grant) bool {
	return d.Status == StatusReview && d.Step >= 0 && d.Step < len(d.Chain) && d.Chain[d.Step].Eligible(grants, d.UnitID, d.OrgID)
}

// StepReviewers lists the users who may decide the draft's current step:
// eligible for the step in the draft's unit and department, active, and not
// its author. users are the unit's users with their grants.
func StepReviewers(d Draft, users []org.User) []int64 {
	var ids []int64
	for _, u := range users {
		if u.ID != d.AuthorID && !u.Disabled && d.AwaitsDecisionBy(u.Grants) {
			ids = append(ids, u.ID)
		}
	}
	return ids
}
