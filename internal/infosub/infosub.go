// Package infosub is 信息报送: information drafts written by departments,
// their 三审三校 review, pre-publication screening, publication and
// adoption records with points, and the monthly bulletin (信息编发月通报).
//
// # Review
//
// A unit configures its review chain (default 初审 by the 意识形态专干 →
// 复审 by the department's 科室负责人 → 终审 by 分管/主要领导). A draft moves
// draft → review (step 0 … n-1) → approved → published; a reviewer may
// return it (returned), the author may resubmit (a new cycle starting at
// step 0) or withdraw it. The rules are Allowed, CanReview and the
// workflow functions (Submit, Withdraw, Decide, Publish, Edit in
// workflow.go and publication.go); the service passes them to the store,
// which runs them inside the transaction that records the decision, on the
// locked draft: nobody reviews their own draft, only the current step can
// decide (no skipping), one person approves at most one step per cycle, and
// 终审 needs the unit's number of 三校 proofreading rounds on the current
// cycle. Every decision keeps the reviewer, time, comment and the text
// version it applied to.
//
// # Figures
//
// The half-year report counts (store.InfoFigures):
//
//   - 撰写整理各类信息 (Written): drafts first submitted in the period that
//     are not withdrawn or deleted;
//   - 在各类媒体发表 (Published): distinct drafts with a publication or
//     adoption record dated in the period, on any channel (门户网站, 公众号,
//     区级/市级/省级/国家级 media, 信息刊物);
//   - Adopted: distinct drafts with an adoption (采用) record dated in the
//     period.
package infosub

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
)

// Status of a draft.
type Status string

// Statuses.
const (
	StatusDraft     Status = "draft"
	StatusReview    Status = "review"
	StatusReturned  Status = "returned"
	StatusApproved  Status = "approved"
	StatusPublished Status = "published"
	StatusWithdrawn Status = "withdrawn"
)

// Label is the Chinese name of a status.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusReview:
		return "审核中"
	case StatusReturned:
		return "已退回"
	case StatusApproved:
		return "终审通过待发布"
	case StatusPublished:
		return "已发布"
	case StatusWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// Action is a decision on a draft.
type Action string

// Actions.
const (
	ActSubmit   Action = "submit"   // author: draft/returned → review step 0
	ActApprove  Action = "approve"  // reviewer of the current step: → next step or approved
	ActReturn   Action = "return"   // reviewer of the current step: → returned
	ActEdit     Action = "edit"     // reviewer of the current step edits the text (new version)
	ActProof    Action = "proof"    // 三校 proofreading round by an eligible reviewer
	ActOverride Action = "override" // reviewer lets blocking findings pass, with a reason
	ActWithdraw Action = "withdraw" // author: draft/review/returned → withdrawn
	ActPublish  Action = "publish"  // approved/published: publication record
	ActAdopt    Action = "adopt"    // published: adoption by a higher level
)

// Label is the Chinese name of an action.
func (a Action) Label() string {
	switch a {
	case ActSubmit:
		return "提交"
	case ActApprove:
		return "通过"
	case ActReturn:
		return "退回"
	case ActEdit:
		return "修改"
	case ActProof:
		return "校对"
	case ActOverride:
		return "放行"
	case ActWithdraw:
		return "撤回"
	case ActPublish:
		return "发布"
	case ActAdopt:
		return "采用"
	}
	return string(a)
}

// Allowed reports whether action a may be taken on a draft in status s
// (who may take it is CanReview's and the author checks' business).
func Allowed(s Status, a Action) bool {
	switch a {
	case ActSubmit:
		return s == StatusDraft || s == StatusReturned
	case ActApprove, ActReturn, ActEdit:
		return s == StatusReview
	case ActProof:
		return s == StatusReview
	case ActOverride:
		return s == StatusDraft || s == StatusReturned || s == StatusReview
	case ActWithdraw:
		return s == StatusDraft || s == StatusReview || s == StatusReturned
	case ActPublish:
		return s == StatusApproved || s == StatusPublished
	case ActAdopt:
		return s == StatusPublished
	}
	return false
}

// AuthorAction reports whether the action belongs to the author.
func AuthorAction(a Action) bool { return a == ActSubmit || a == ActWithdraw }

// Step is one level of the review chain.
type Step struct {
	Name string `json:"name"`
	// Roles that may decide at this step.
	Roles []access.Role `json:"roles"`
	// Dept: the role must be held at the draft's own department (科室负责人)
	// or at unit level; otherwise at unit level.
	Dept bool `json:"dept,omitempty"`
}

// Chain is the ordered list of review steps.
type Chain []Step

// DefaultChain is 初审 → 复审 → 终审.
func DefaultChain() Chain {
	return Chain{
		{Name: "初审", Roles: []access.Role{access.Clerk}},
		{Name: "复审", Roles: []access.Role{access.DeptHead}, Dept: true},
		{Name: "终审", Roles: []access.Role{access.DirectResp, access.FirstResp}},
	}
}

// Validate checks a chain configured by a unit.
func (c Chain) Validate() error {
	if len(c) < 1 || len(c) > 5 {
		return apperr.Field("审核流程", "应有 1 到 5 级")
	}
	for i, st := range c {
		if strings.TrimSpace(st.Name) == "" || utf8.RuneCountInString(st.Name) > 10 {
			return apperr.Rule(fmt.Sprintf("审核流程第 %d 级：名称不能为空且不超过 10 个字", i+1))
		}
		if len(st.Roles) == 0 {
			return apperr.Rule(fmt.Sprintf("审核流程第 %d 级（%s）：至少选择一个审核角色", i+1, st.Name))
		}
		for _, r := range st.Roles {
			if !slices.Contains(ReviewRoles, r) {
				return apperr.Rule(fmt.Sprintf("审核流程第 %d 级（%s）：角色 %s 不能审核", i+1, st.Name, r.Label()))
			}
		}
	}
	return nil
}

// ReviewRoles are the roles a chain step may name.
var ReviewRoles = []access.Role{access.Clerk, access.DeptHead, access.InfoOfficer, access.LeaderMember, access.DirectResp, access.FirstResp}

// Eligible reports whether a user with these grants may decide at step st
// for a draft of unitID organised by orgID.
func (st Step) Eligible(grants []access.Grant, unitID, orgID int64) bool {
	for _, g := range grants {
		if !slices.Contains(st.Roles, g.Role) || g.UnitID != unitID {
			continue
		}
		if g.Kind == "unit" || (st.Dept && g.OrgID == orgID) {
			return true
		}
	}
	return false
}

// EligibleAny reports whether the user may decide at any step (override, 三校).
func (c Chain) EligibleAny(grants []access.Grant, unitID, orgID int64) bool {
	for _, st := range c {
		if st.Eligible(grants, unitID, orgID) {
			return true
		}
	}
	return false
}

// Decision is one logged decision on a draft.
type Decision struct {
	ID       int64
	DraftID  int64
	Cycle    int
	Step     int
	StepName string
	Action   Action
	Round    int
	UserID   int64
	UserName string
	Comment  string
	Version  int
	At       int64
}

// ReviewState is what CanReview needs to know about a draft.
type ReviewState struct {
	Status   Status
	Step     int
	Chain    Chain
	AuthorID int64
	UnitID   int64
	OrgID    int64
	// Decisions of the current cycle.
	Cycle []Decision
	// ProofRounds required before the last step may approve.
	ProofRounds int
	// ProofDistinct: each proofreading round needs a different person
	// (Config.ProofDistinct).
	ProofDistinct bool
}

// CanReview checks whether user (with grants) may take reviewer action a
// now. It returns a Chinese reason when not.
func CanReview(st ReviewState, userID int64, grants []access.Grant, a Action) error {
	if !Allowed(st.Status, a) {
		return apperr.Rule(fmt.Sprintf("当前状态（%s）不能%s", st.Status.Label(), a.Label()))
	}
	if userID == st.AuthorID {
		return apperr.Rule("不能审核本人撰写的信息")
	}
	switch a {
	case ActApprove, ActReturn, ActEdit:
		if st.Step < 0 || st.Step >= len(st.Chain) {
			return apperr.Rule("审核步骤无效")
		}
		step := st.Chain[st.Step]
		if !step.Eligible(grants, st.UnitID, st.OrgID) {
			return apperr.Rule(fmt.Sprintf("当前为%s环节，您不是该环节的审核人（不能越级审核）", step.Name))
		}
		if a == ActApprove {
			for _, d := range st.Cycle {
				if d.Action == ActApprove && d.UserID == userID {
					return apperr.Rule(fmt.Sprintf("您已在%s环节审核通过，同一人不能审核两级", d.StepName))
				}
			}
			if st.Step == len(st.Chain)-1 {
				if n := ProofCount(st.Cycle); n < st.ProofRounds {
					return apperr.Rule(fmt.Sprintf("%s前须完成三校：已校对 %d 次，还需 %d 次", step.Name, n, st.ProofRounds-n))
				}
			}
		}
	case ActProof, ActOverride:
		if !st.Chain.EligibleAny(grants, st.UnitID, st.OrgID) {
			return apperr.Rule(fmt.Sprintf("您不是本单位信息审核人，不能%s", a.Label()))
		}
		if a == ActProof {
			return canProof(st, userID)
		}
	default:
		return apperr.Rule(fmt.Sprintf("%s不是审核操作", a.Label()))
	}
	return nil
}

// canProof is the 三校 rule for one more proofreading round by userID: no
// round beyond the unit's required count, and, unless the unit allows
// otherwise (ProofDistinct off), nobody proofreads twice in a cycle, so the
// three rounds are three people's.
func canProof(st ReviewState, userID int64) error {
	if st.ProofRounds == 0 {
		return apperr.Rule("本单位设置为终审前不要求校对")
	}
	n := ProofCount(st.Cycle)
	if n >= st.ProofRounds {
		return apperr.Rule(fmt.Sprintf("本轮已完成全部 %d 次校对，不再增加校次", st.ProofRounds))
	}
	if st.ProofDistinct {
		for _, d := range st.Cycle {
			if d.Action == ActProof && d.UserID == userID {
				return apperr.Rule(fmt.Sprintf("您已完成本轮第 %d 校；按本单位设置，每一校须由不同人员完成，请由其他审核人校对", d.Round))
			}
		}
	}
	return nil
}

// ProofRule describes the unit's 三校 setting for the review page.
func (c Config) ProofRule() string {
	switch {
	case c.ProofRounds == 0:
		return "本单位设置：终审前不要求校对。"
	case c.ProofDistinct:
		return fmt.Sprintf("本单位设置：终审前须完成 %d 次校对，每一校由不同人员完成。", c.ProofRounds)
	}
	return fmt.Sprintf("本单位设置：终审前须完成 %d 次校对，允许同一人完成多次校对。", c.ProofRounds)
}

// ProofCount counts 三校 rounds in a cycle's decisions.
func ProofCount(cycle []Decision) int {
	n := 0
	for _, d := range cycle {
		if d.Action == ActProof {
			n++
		}
	}
	return n
}

// Levels of publication and adoption.
type Level struct {
	Code  string
	Label string
	Adopt bool // an adoption by a higher level (else the unit's own channel)
}

// Levels lists every channel and adoption level.
var Levels = []Level{
	{"portal", "门户网站", false},
	{"wechat", "微信公众号", false},
	{"unit", "本单位信息刊物", true},
	{"district", "区级媒体/信息刊物", true},
	{"city", "市级媒体/信息刊物", true},
	{"province", "省级媒体/信息刊物", true},
	{"national", "国家级媒体/信息刊物", true},
}

// LevelByCode finds a level.
func LevelByCode(code string) (Level, bool) {
	for _, l := range Levels {
		if l.Code == code {
			return l, true
		}
	}
	return Level{}, false
}

// Points are points per adoption level.
type Points map[string]int

// DefaultPoints follow a common local rule: 10/20/30/50 for successive
// levels above the unit; the unit's own 刊物 and channels give 2 and 1.
func DefaultPoints() Points {
	return Points{"portal": 1, "wechat": 1, "unit": 2, "district": 10, "city": 20, "province": 30, "national": 50}
}

// Config is a unit's information settings.
type Config struct {
	Chain       Chain
	Points      Points
	Quota       int // default monthly quota per department
	ProofRounds int
	// ProofDistinct: every proofreading round needs a different person
	// (the default); a unit without enough reviewers may turn it off.
	ProofDistinct bool
	StepDays      int // days a reviewer has for one step
}

// DefaultConfig is used until a unit saves its own.
func DefaultConfig() Config {
	return Config{Chain: DefaultChain(), Points: DefaultPoints(), Quota: 2, ProofRounds: 3, ProofDistinct: true, StepDays: 2}
}

// Validate checks a configuration.
func (c Config) Validate() error {
	if err := c.Chain.Validate(); err != nil {
		return err
	}
	for _, l := range Levels {
		if p := c.Points[l.Code]; p < 0 || p > 1000 {
			return apperr.Rule(fmt.Sprintf("积分（%s）：应在 0 到 1000 之间", l.Label))
		}
	}
	if c.Quota < 0 || c.Quota > 100 {
		return apperr.Field("每月任务数", "应在 0 到 100 之间")
	}
	if c.ProofRounds < 0 || c.ProofRounds > MaxProofRounds {
		return apperr.Field("校对次数", "应在 0 到 3 之间")
	}
	if c.StepDays < 1 || c.StepDays > 30 {
		return apperr.Field("每级审核时限", "应在 1 到 30 天之间")
	}
	return nil
}

// Categories of information drafts.
var Categories = []string{"工作动态", "经验做法", "典型事迹", "政务信息", "调研报告", "其他"}

// Draft is an information draft.
type Draft struct {
	ID            int64
	UnitID        int64
	OrgID         int64
	OrgName       string
	AuthorID      int64
	AuthorName    string
	Title         string
	Body          string // sanitised HTML
	BodyText      string // plain text
	Category      string
	ActivityID    int64
	Status        Status
	Step          int
	Chain         Chain
	Version       int
	Cycle         int
	SubmittedDate string
	SubmittedAt   int64
	StepDue       int64
	ApprovedAt    int64
	CreatedAt     int64
	UpdatedAt     int64
	Points        int
}

// StepName is the name of the current review step ("" outside review).
func (d Draft) StepName() string {
	if d.Status != StatusReview || d.Step < 0 || d.Step >= len(d.Chain) {
		return ""
	}
	return d.Chain[d.Step].Name
}

// Validate checks the author's fields.
func (d *Draft) Validate() error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		return apperr.Field("标题", "不能为空")
	}
	if utf8.RuneCountInString(d.Title) > 100 {
		return apperr.Field("标题", "不能超过 100 个字")
	}
	if d.Category != "" && !slices.Contains(Categories, d.Category) {
		return apperr.Field("类别", "无效")
	}
	if d.OrgID == 0 {
		return apperr.Field("报送科室", "不能为空")
	}
	if utf8.RuneCountInString(d.BodyText) > 50000 {
		return apperr.Field("正文", "不能超过 5 万字")
	}
	return nil
}

// Version is one stored text of a draft.
type Version struct {
	Version   int
	Title     string
	Body      string
	BodyText  string
	CreatedAt int64
	ByName    string
	Note      string
}

// Publication is a publication or adoption record.
type Publication struct {
	ID      int64
	DraftID int64
	UnitID  int64
	Kind    string // publish | adopt
	Level   string
	Outlet  string
	URL     string
	Date    string
	Points  int
	Title   string // of the draft (lists)
	OrgName string
}

// LevelLabel is the Chinese label of the record's level.
func (p Publication) LevelLabel() string {
	if l, ok := LevelByCode(p.Level); ok {
		return l.Label
	}
	return p.Level
}
