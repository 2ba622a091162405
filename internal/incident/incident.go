// Package incident holds the rules of 舆情处置, the incident workflow of the
// opinion module: 收集 → 会商 → 研判 → 回应 → 评估, each step with its
// responsible person, notes, evidence files and the time it was done, and
// the national time limits that the incident's level sets (国办发〔2016〕61号
// and the 2016 《〈关于全面推进政务公开工作的意见〉实施细则》): for 特别重大/重大
// events authoritative information within 5 hours and a press conference
// within 24 hours at the latest; other 政务舆情 answered within 48 hours.
//
// It is domain code: types, validation, who may do what and the due-time
// arithmetic; no SQL and no I/O. The store applies these rules on the
// locked rows (the service passes them in).
package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

// Levels of an incident. The national rules know two time regimes: 特别重大
// and 重大 events share one, everything else (一般) the other.
const (
	LevelEspecially = "especially"
	LevelMajor      = "major"
	LevelGeneral    = "general"
)

// Levels in the order forms show them.
var Levels = []string{LevelEspecially, LevelMajor, LevelGeneral}

// LevelLabel names a level.
func LevelLabel(l string) string {
	switch l {
	case LevelEspecially:
		return "特别重大"
	case LevelMajor:
		return "重大"
	case LevelGeneral:
		return "一般"
	}
	return l
}

// Steps of the workflow, in order.
const (
	StepCollect = "collect"
	StepConsult = "consult"
	StepJudge   = "judge"
	StepRespond = "respond"
	StepAssess  = "assess"
)

// Steps lists the workflow's steps in order.
var Steps = []string{StepCollect, StepConsult, StepJudge, StepRespond, StepAssess}

// StepLabel names a step.
func StepLabel(s string) string {
	switch s {
	case StepCollect:
		return "收集"
	case StepConsult:
		return "会商"
	case StepJudge:
		return "研判"
	case StepRespond:
		return "回应"
	case StepAssess:
		return "评估"
	}
	return s
}

// Statuses of an incident: open until 评估 is done.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// StatusLabel names a status.
func StatusLabel(s string) string {
	if s == StatusClosed {
		return "已办结"
	}
	return "处置中"
}

// Incident is one 舆情处置 case of a unit, started from an event or by hand.
type Incident struct {
	ID      int64
	UnitID  int64
	EventID int64 // 0 when started by hand
	Title   string
	Level   string
	// FoundAt (unix seconds) is when the opinion was found; the time limits
	// run from it.
	FoundAt int64
	Summary string
	Status  string
	// AuthorityAt and PresserAt are when authoritative information was
	// released and the press conference held (特别重大/重大), 0 until then.
	AuthorityAt int64
	PresserAt   int64
	CreatedBy   int64
	CreatorName string
	CreatedAt   int64
	UpdatedAt   int64
	ClosedAt    int64
	// Steps are the five steps in order (Steps), each present.
	Steps []Step
	Files []File
}

// Step is one step of an incident.
type Step struct {
	Key       string
	OwnerID   int64
	OwnerName string
	Note      string
	// Text is the response text (回应口径) of the 回应 step; it goes through
	// the pre-publication screening before the step may be done.
	Text     string
	DoneAt   int64
	DoneBy   int64
	DoneName string
}

// Label is the step's name.
func (s Step) Label() string { return StepLabel(s.Key) }

// Done reports whether the step is done.
func (s Step) Done() bool { return s.DoneAt != 0 }

// File is one evidence file of a step.
type File struct {
	ID         int64
	IncidentID int64
	Step       string
	Name       string
	Mime       string
	Size       int64
	SHA256     string
	CreatedAt  int64
}

// LevelLabel is the incident's level in Chinese.
func (in Incident) LevelLabel() string { return LevelLabel(in.Level) }

// StatusLabel is the incident's status in Chinese.
func (in Incident) StatusLabel() string { return StatusLabel(in.Status) }

// Step returns the step of key (the zero Step when missing).
func (in Incident) Step(key string) Step {
	for _, s := range in.Steps {
		if s.Key == key {
			return s
		}
	}
	return Step{Key: key}
}

// Current is the first step not yet done ("" once all are).
func (in Incident) Current() string {
	for _, k := range Steps {
		if !in.Step(k).Done() {
			return k
		}
	}
	return ""
}

// FilesOf lists the evidence files of a step.
func (in Incident) FilesOf(step string) []File {
	var out []File
	for _, f := range in.Files {
		if f.Step == step {
			out = append(out, f)
		}
	}
	return out
}

// Owners lists the distinct responsible people of the steps not yet done.
func (in Incident) Owners() []int64 {
	var out []int64
	for _, s := range in.Steps {
		if !s.Done() && s.OwnerID != 0 && !slices.Contains(out, s.OwnerID) {
			out = append(out, s.OwnerID)
		}
	}
	return out
}

// NewSteps returns the five empty steps of a new incident, every one
// assigned to owner (the person who starts it reassigns them).
func NewSteps(owner int64) []Step {
	out := make([]Step, len(Steps))
	for i, k := range Steps {
		out[i] = Step{Key: k, OwnerID: owner}
	}
	return out
}

// Validate checks a new or edited incident's own fields. now (unix
// seconds) bounds the discovery time: it cannot lie in the future.
func (in *Incident) Validate(now int64) error {
	var errs apperr.Errors
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	if in.Title == "" {
		errs = append(errs, apperr.Field("舆情标题", "不能为空"))
	} else if utf8.RuneCountInString(in.Title) > 200 {
		errs = append(errs, apperr.Field("舆情标题", "不能超过 200 个字"))
	}
	if !slices.Contains(Levels, in.Level) {
		errs = append(errs, apperr.Field("舆情级别", "请选择特别重大、重大或一般"))
	}
	if in.FoundAt <= 0 {
		errs = append(errs, apperr.Field("发现时间", "不能为空"))
	} else if in.FoundAt > now+60 {
		errs = append(errs, apperr.Field("发现时间", "不能晚于当前时间"))
	}
	if utf8.RuneCountInString(in.Summary) > 4000 {
		errs = append(errs, apperr.Field("基本情况", "不能超过 4000 个字"))
	}
	return errs.OrNil()
}

// Errors of the workflow.
var (
	ErrClosed       = apperr.Rule("该舆情处置已办结，不能再修改")
	ErrOrder        = apperr.Rule("请按收集、会商、研判、回应、评估的顺序办理：前一环节尚未完成")
	ErrDone         = apperr.Rule("该环节已完成")
	ErrNoText       = apperr.Field("回应口径", "完成回应前须填写回应口径（对外发布的回应内容）")
	ErrNoAuthority  = apperr.Field("权威信息发布时间", "特别重大/重大舆情完成回应前须填写权威信息发布时间")
	ErrNoOwner      = apperr.Field("责任人", "不能为空")
	ErrOwnerNotUnit = apperr.Field("责任人", "不是本单位人员")
	ErrEvidenceDone = apperr.Rule("该舆情处置已办结，不能再上传材料")
)

// CanManage reports whether the scope may start incidents in the unit,
// change their level and assign steps: the unit's writers.
func CanManage(sc access.Scope, unitID int64) bool { return slices.Contains(sc.WriteUnits, unitID) }

// CanWork reports whether the scope may fill in and complete a step: the
// unit's writers, or the step's responsible person.
func CanWork(sc access.Scope, in Incident, step string) bool {
	return CanManage(sc, in.UnitID) || (sc.UserID != 0 && in.Step(step).OwnerID == sc.UserID)
}

// Edit applies a change of the incident's own fields (title, level,
// discovery time, summary) by sc to cur. It returns apperr.ErrNotFound when
// the scope may not manage the unit and ErrClosed once it is closed.
func Edit(sc access.Scope, cur *Incident, in Incident, now int64) error {
	if !CanManage(sc, cur.UnitID) {
		return apperr.ErrNotFound
	}
	if cur.Status == StatusClosed {
		return ErrClosed
	}
	if err := in.Validate(now); err != nil {
		return err
	}
	cur.Title, cur.Level, cur.FoundAt, cur.Summary = in.Title, in.Level, in.FoundAt, in.Summary
	return nil
}

// StepInput is what a step's form sends.
type StepInput struct {
	OwnerID int64
	Note    string
	Text    string
	// AuthorityAt and PresserAt (unix seconds, 0 when empty) are read on
	// the 回应 step of 特别重大/重大 incidents.
	AuthorityAt int64
	PresserAt   int64
	// Done asks to complete the step at DoneAt (unix seconds; 0 = now).
	Done   bool
	DoneAt int64
}

// Screen checks a response text against the pre-publication screening and
// returns the distinct terms that block publication (none: it may go out).
type Screen func(text string) []string

// SaveStep applies a step's form by sc to the incident, in place: notes,
// response text and release times always (by its owner or the unit's
// writers), a new owner only by the unit's writers, and when in.Done the
// completion, in order, with the response text screened. now is the
// clock (unix seconds). It returns apperr.ErrNotFound when the scope may
// not work on the step at all.
func SaveStep(sc access.Scope, inc *Incident, key string, in StepInput, now int64, screen Screen) error {
	idx := slices.Index(Steps, key)
	if idx < 0 || len(inc.Steps) != len(Steps) {
		return apperr.ErrNotFound
	}
	if !CanWork(sc, *inc, key) {
		return apperr.ErrNotFound
	}
	if inc.Status == StatusClosed {
		return ErrClosed
	}
	st := &inc.Steps[idx]
	var errs apperr.Errors
	if in.OwnerID != 0 && in.OwnerID != st.OwnerID {
		if !CanManage(sc, inc.UnitID) {
			return apperr.Field("责任人", "只有本单位意识形态专干或领导可以更换责任人")
		}
		st.OwnerID = in.OwnerID
	}
	st.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(st.Note) > 4000 {
		errs = append(errs, apperr.Field("办理情况", "不能超过 4000 个字"))
	}
	if key == StepRespond {
		st.Text = strings.TrimSpace(in.Text)
		if utf8.RuneCountInString(st.Text) > 8000 {
			errs = append(errs, apperr.Field("回应口径", "不能超过 8000 个字"))
		}
		if inc.Major() {
			for _, t := range []struct {
				field string
				at    int64
				dst   *int64
			}{{"权威信息发布时间", in.AuthorityAt, &inc.AuthorityAt}, {"新闻发布会时间", in.PresserAt, &inc.PresserAt}} {
				if t.at != 0 && (t.at < inc.FoundAt || t.at > now+60) {
					errs = append(errs, apperr.Field(t.field, "应在发现时间之后、当前时间之前"))
					continue
				}
				*t.dst = t.at
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if !in.Done {
		return nil
	}
	if st.Done() {
		return ErrDone
	}
	for _, prev := range inc.Steps[:idx] {
		if !prev.Done() {
			return ErrOrder
		}
	}
	at := in.DoneAt
	if at == 0 {
		at = now
	}
	if at > now+60 {
		return apperr.Field("完成时间", "不能晚于当前时间")
	}
	if at < inc.FoundAt {
		return apperr.Field("完成时间", "不能早于发现时间")
	}
	if idx > 0 && at < inc.Steps[idx-1].DoneAt {
		return apperr.Field("完成时间", "不能早于上一环节的完成时间")
	}
	if key == StepRespond {
		if st.Text == "" {
			return ErrNoText
		}
		if blocked := screen(st.Text); len(blocked) > 0 {
			return apperr.Field("回应口径", "发布前审查发现须修改的表述：“"+strings.Join(blocked, "”“")+"”，修改后再完成回应")
		}
		if inc.Major() && inc.AuthorityAt == 0 {
			return ErrNoAuthority
		}
	}
	if st.OwnerID == 0 {
		return ErrNoOwner
	}
	st.DoneAt, st.DoneBy = at, sc.UserID
	if key == StepAssess {
		inc.Status, inc.ClosedAt = StatusClosed, at
	}
	return nil
}

// CheckEvidence says whether sc may add evidence files to a step.
func CheckEvidence(sc access.Scope, inc Incident, step string) error {
	if !slices.Contains(Steps, step) || !CanWork(sc, inc, step) {
		return apperr.ErrNotFound
	}
	if inc.Status == StatusClosed {
		return ErrEvidenceDone
	}
	return nil
}

// ParseTime reads a datetime-local form value ("2023-07-05T10:00") in
// China time; "" is 0.
func ParseTime(v string, zone *time.Location) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, zone); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, fmt.Errorf("bad time %q", v)
}
