package supervise

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Rectification statuses: 待整改 → 整改中 → 待验收 → 已销号.
const (
	RectOpen   = "open"
	RectDoing  = "doing"
	RectReview = "review"
	RectClosed = "closed"
)

// RectStatusLabel names a rectification status.
func RectStatusLabel(s string) string {
	switch s {
	case RectOpen:
		return "待整改"
	case RectDoing:
		return "整改中"
	case RectReview:
		return "待验收"
	case RectClosed:
		return "已销号"
	}
	return s
}

// Sources of problems.
var RectSources = []string{"compliance", "inspection", "supervision", "other"}

// RectSourceLabel names a problem source.
func RectSourceLabel(s string) string {
	switch s {
	case "compliance":
		return "督导自动发现"
	case "inspection":
		return "检查排查"
	case "supervision":
		return "上级督查"
	case "other":
		return "其他"
	}
	return s
}

// Rect is one item of the rectification list (整改台账).
type Rect struct {
	ID           int64
	UnitID       int64
	OrgID        int64
	OrgName      string
	Title        string
	Source       string
	SourceRef    string
	OwnerID      int64
	OwnerName    string
	Measures     string
	Deadline     string
	Status       string
	Progress     string
	VerifiedBy   int64
	VerifierName string
	VerifiedAt   int64
	VerifyNote   string
	CreatedAt    int64
	CreatedBy    int64
	UpdatedAt    int64
	Files        []RectFile
	// Workers are the people who worked on the item: started it, reported
	// measures or progress, uploaded evidence or submitted it for
	// verification. None of them may verify it (CanVerifyBy).
	Workers []int64
}

// RectConfig is a unit's rectification settings.
type RectConfig struct {
	// EvidenceOptional lets an item go to verification with written
	// progress only; by default 佐证材料 (at least one file) is required.
	EvidenceOptional bool
}

// EvidenceRule describes the unit's evidence setting for the item's page.
func (c RectConfig) EvidenceRule() string {
	if c.EvidenceOptional {
		return "本单位已放宽：提交验收时可只填写整改进展，不上传佐证材料。"
	}
	return "提交验收前须上传整改佐证材料（照片、文件、会议记录等）。"
}

// WorkedOn reports whether user id worked on the item (its owner or one of
// its Workers).
func (r Rect) WorkedOn(id int64) bool {
	return id == r.OwnerID || slices.Contains(r.Workers, id)
}

// RectFile is one evidence file.
type RectFile struct {
	ID        int64
	RectID    int64
	Name      string
	Mime      string
	Size      int64
	SHA256    string
	CreatedAt int64
}

// StatusLabel is the item's status in Chinese.
func (r Rect) StatusLabel() string { return RectStatusLabel(r.Status) }

// SourceLabel is the item's source in Chinese.
func (r Rect) SourceLabel() string { return RectSourceLabel(r.Source) }

// Overdue reports whether the item is still open after its deadline.
func (r Rect) Overdue(today string) bool { return r.Status != RectClosed && today > r.Deadline }

// Validate checks the editable fields.
func (r *Rect) Validate() error {
	var errs ledger.Errors
	r.Title = strings.TrimSpace(r.Title)
	r.Measures = strings.TrimSpace(r.Measures)
	if r.Title == "" {
		errs = append(errs, &ledger.FieldError{Field: "问题描述", Msg: "不能为空"})
	} else if utf8.RuneCountInString(r.Title) > 500 {
		errs = append(errs, &ledger.FieldError{Field: "问题描述", Msg: "不能超过 500 个字"})
	}
	ok := false
	for _, s := range RectSources {
		ok = ok || s == r.Source
	}
	if !ok {
		errs = append(errs, &ledger.FieldError{Field: "问题来源", Msg: "无效"})
	}
	if r.OwnerID == 0 {
		errs = append(errs, &ledger.FieldError{Field: "责任人", Msg: "不能为空"})
	}
	if _, err := time.Parse(cntime.DateLayout, r.Deadline); err != nil {
		errs = append(errs, &ledger.FieldError{Field: "整改时限", Msg: "日期无效"})
	}
	if utf8.RuneCountInString(r.Measures) > 2000 {
		errs = append(errs, &ledger.FieldError{Field: "整改措施", Msg: "不能超过 2000 个字"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Errors of the status flow.
var (
	ErrOwnVerify  = apperr.Rule("整改责任人和参与整改、提交验收的人员不能验收该事项，请由其他人员验收")
	ErrBadStep    = apperr.Rule("当前状态下不能进行这项操作")
	ErrNeedReason = apperr.Rule("退回整改须填写退回理由")
)

// Step is a status change of the flow.
type Step string

// Steps people take.
const (
	StepStart  Step = "start"  // 待整改 → 整改中 (owner)
	StepSubmit Step = "submit" // 整改中 → 待验收 (owner)
	StepVerify Step = "verify" // 待验收 → 已销号 (someone else)
	StepReject Step = "reject" // 待验收 → 整改中 (someone else, with reason)
)

// Next checks a step by actor on an item and returns the new status.
// Verification and rejection must come from someone who did not work on
// the item (Rect.WorkedOn): not its owner, not whoever reported progress,
// uploaded evidence or submitted it.
func Next(r Rect, step Step, actorID int64, note string) (string, error) {
	switch step {
	case StepStart:
		if r.Status == RectOpen {
			return RectDoing, nil
		}
	case StepSubmit:
		if r.Status == RectOpen || r.Status == RectDoing {
			return RectReview, nil
		}
	case StepVerify, StepReject:
		if r.Status != RectReview {
			return "", ErrBadStep
		}
		if r.WorkedOn(actorID) {
			return "", ErrOwnVerify
		}
		if step == StepVerify {
			return RectClosed, nil
		}
		if strings.TrimSpace(note) == "" {
			return "", ErrNeedReason
		}
		return RectDoing, nil
	}
	return "", ErrBadStep
}

// Errors of editing an item and of its evidence.
var (
	ErrRectClosed      = apperr.Rule("已销号的整改事项不能再修改")
	ErrRectClosedFiles = apperr.Rule("已销号的整改事项不能再上传材料")
	ErrNoEvidence      = apperr.Rule("提交验收前请填写整改进展或上传整改佐证材料")
	ErrNoEvidenceFile  = apperr.Rule("提交验收前须上传整改佐证材料（本单位未放宽此要求）")
	// ErrOwnerFrozen: the owner of an item in verification or closed stays
	// as it was, so nobody swaps in a new owner and then verifies.
	ErrOwnerFrozen = apperr.Field("责任人", "事项已提交验收，不能更换责任人")
	// The store answers these when the owner or department named is not
	// (or no longer) a live member of the item's unit.
	ErrOwnerNotInUnit = apperr.Field("责任人", "不是本单位人员")
	ErrOrgNotInUnit   = apperr.Field("责任科室", "不是本单位的科室")
)

// CanCreateRect reports whether the scope may put a problem on the unit's
// list: the unit's writers, and for a problem found by 上级督查 (source
// "supervision") whoever reads the unit from outside it, such as the
// district supervisor — not the unit's own read-only leaders.
func CanCreateRect(sc access.Scope, r Rect) bool {
	return slices.Contains(sc.WriteUnits, r.UnitID) ||
		(r.Source == "supervision" && slices.Contains(sc.ReadUnits, r.UnitID) && sc.HomeUnit != r.UnitID)
}

// CanEditRect reports whether the scope may change the item's fields, add
// evidence and take it through 开始整改 and 提交验收: the unit's writers and
// the owner.
func CanEditRect(sc access.Scope, r Rect) bool {
	return slices.Contains(sc.WriteUnits, r.UnitID) || r.OwnerID == sc.UserID
}

// CanVerifyRect reports whether the scope may verify or send back the item:
// the unit's writers, or a supervisor reading the unit from outside it. The
// owner is refused by Next itself.
func CanVerifyRect(sc access.Scope, r Rect) bool {
	return slices.Contains(sc.WriteUnits, r.UnitID) || (slices.Contains(sc.ReadUnits, r.UnitID) && sc.HomeUnit != r.UnitID && !sc.OwnRecords)
}

// Edit applies an edit by sc to the stored item cur, in place. The unit's
// writers change the assignment (title, source, department, owner,
// deadline) as well as measures and progress; the owner reports measures
// and progress only. in must have passed Validate. It returns
// apperr.ErrNotFound when the scope may not edit the item, ErrRectClosed
// once it is closed and ErrOwnerFrozen for a new owner while it awaits
// verification (待验收).
func Edit(sc access.Scope, cur *Rect, in Rect) error {
	if !CanEditRect(sc, *cur) {
		return apperr.ErrNotFound
	}
	if cur.Status == RectClosed {
		return ErrRectClosed
	}
	if slices.Contains(sc.WriteUnits, cur.UnitID) {
		if cur.Status == RectReview && in.OwnerID != cur.OwnerID {
			return ErrOwnerFrozen
		}
		cur.Title, cur.Source, cur.OrgID, cur.OwnerID, cur.Deadline = in.Title, in.Source, in.OrgID, in.OwnerID, in.Deadline
	}
	cur.Measures, cur.Progress = in.Measures, in.Progress
	return nil
}

// WorkChanged reports whether an edit from before to after reported work
// (measures or progress), which makes its author one of the item's
// Workers.
func WorkChanged(before, after Rect) bool {
	return before.Measures != after.Measures || before.Progress != after.Progress
}

// TakeStep applies a step by sc to the item r, in place: who may take it,
// the flow (Next), and for 提交验收 the evidence rule — at least one file
// uploaded (files is how many), or, where the unit relaxed it
// (cfg.EvidenceOptional), progress written instead. now (unix seconds) stamps
// a verification. It returns apperr.ErrNotFound when the scope may not take
// the step at all, so the item's existence is not revealed.
func TakeStep(sc access.Scope, cfg RectConfig, r *Rect, step Step, note string, files int, now int64) error {
	switch step {
	case StepStart, StepSubmit:
		if !CanEditRect(sc, *r) {
			return apperr.ErrNotFound
		}
	default:
		if !CanVerifyRect(sc, *r) && r.OwnerID != sc.UserID {
			return apperr.ErrNotFound
		}
	}
	next, err := Next(*r, step, sc.UserID, note)
	if err != nil {
		return err
	}
	if step == StepSubmit && files == 0 {
		if !cfg.EvidenceOptional {
			return ErrNoEvidenceFile
		}
		if strings.TrimSpace(r.Progress) == "" {
			return ErrNoEvidence
		}
	}
	r.Status = next
	switch step {
	case StepVerify:
		r.VerifiedBy, r.VerifiedAt, r.VerifyNote = sc.UserID, now, strings.TrimSpace(note)
	case StepReject:
		r.VerifyNote = strings.TrimSpace(note)
	}
	return nil
}

// CheckEvidence says whether sc may add evidence files to the item:
// apperr.ErrNotFound when the scope may not edit it, ErrRectClosedFiles once
// it is closed.
func CheckEvidence(sc access.Scope, r Rect) error {
	if !CanEditRect(sc, r) {
		return apperr.ErrNotFound
	}
	if r.Status == RectClosed {
		return ErrRectClosedFiles
	}
	return nil
}

// VerifyUnits lists the units whose items the scope may verify
// (CanVerifyRect): the unit's writers, and a supervisor reading units from
// outside them.
func VerifyUnits(sc access.Scope) []int64 {
	out := slices.Clone(sc.WriteUnits)
	if !sc.OwnRecords {
		for _, u := range sc.ReadUnits {
			if u != sc.HomeUnit && !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// Verifiers lists, among the unit's users, those the item's verification
// should be announced to: the unit's 意识形态专干 who did not work on it.
func Verifiers(users []org.User, r Rect) []int64 {
	var out []int64
	for _, u := range users {
		if u.Disabled || r.WorkedOn(u.ID) {
			continue
		}
		for _, g := range u.Grants {
			if g.Role == access.Clerk && g.UnitID == r.UnitID {
				out = append(out, u.ID)
				break
			}
		}
	}
	return out
}

// RectGroup is the unfinished items of one source whose deadlines fall in
// one month: the home page shows a group as one line ("督导自动发现 ·
// 2026年12月截止 · 14 项"), so a round of items opened by the reminder job
// does not push a single item from an inspection off the card.
type RectGroup struct {
	Source  string // RectSources
	Month   string // the deadlines' month, "2026-12"
	Items   []Rect // soonest deadline first
	Overdue int    // items past their deadline on today
}

// Label names the group: "督导自动发现 · 2026年12月截止".
func (g RectGroup) Label() string {
	label := RectSourceLabel(g.Source)
	if len(g.Month) == 7 {
		label += " · " + strings.TrimLeft(g.Month[:4], "0") + "年" + strings.TrimLeft(g.Month[5:], "0") + "月截止"
	}
	return label
}

// GroupOpenRects groups the items not yet closed by source and deadline
// month: groups with items past their deadline first, then by the
// earliest deadline.
func GroupOpenRects(rects []Rect, today string) []RectGroup {
	idx := map[[2]string]int{}
	var out []RectGroup
	for _, r := range rects {
		if r.Status == RectClosed {
			continue
		}
		month := r.Deadline
		if len(month) >= 7 {
			month = month[:7]
		}
		k := [2]string{r.Source, month}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, RectGroup{Source: r.Source, Month: month})
		}
		out[i].Items = append(out[i].Items, r)
		if r.Overdue(today) {
			out[i].Overdue++
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Items, func(a, b Rect) int { return strings.Compare(a.Deadline, b.Deadline) })
	}
	slices.SortStableFunc(out, func(a, b RectGroup) int {
		if (a.Overdue > 0) != (b.Overdue > 0) {
			if a.Overdue > 0 {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Items[0].Deadline, b.Items[0].Deadline)
	})
	return out
}
