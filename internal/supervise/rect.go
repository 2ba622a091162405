package supervise

import (
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
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
	ErrOwnVerify  = apperr.Rule("整改责任人不能验收自己负责的整改事项, 请由其他人员验收")
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
// Verification and rejection must come from someone other than the owner.
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
		if actorID == r.OwnerID {
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
