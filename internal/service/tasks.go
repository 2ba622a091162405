package service

import (
	"context"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/supervise"
)

// Task is one piece of work waiting for the user (待办): a step of a
// workflow that only they, or people like them, can take.
type Task struct {
	Kind  string // 信息审核, 报告审批, 整改验收, 整改任务
	Title string
	Link  string
	// Since is when the work began waiting (unix seconds; 0 when unknown).
	Since int64
	// Due is the date or time it should be done by, as shown ("" for none).
	Due string
}

// Tasks lists the work waiting for u: information drafts at a review step
// they decide (the review queue), report versions they may approve
// (report.ApproverUnits, not their own), rectification items in 待验收
// they may verify and did not work on, and items they own that are still
// open. Each has a link to the page where it is done.
func (s *Service) Tasks(ctx context.Context, u org.User, sc access.Scope) ([]Task, error) {
	var out []Task
	queue, err := s.st.ReviewQueue(ctx, sc, u.ID, u.Grants)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	for _, d := range queue {
		due := ""
		if d.StepDue > 0 {
			due = cntime.LongMinute(time.Unix(d.StepDue, 0))
		}
		out = append(out, Task{Kind: "信息审核", Title: d.Title + "（" + d.StepName() + "）", Link: fmt.Sprintf("/info/%d", d.ID), Since: d.SubmittedAt, Due: due})
	}
	reps, err := s.st.ReportsAwaitingApproval(ctx, report.ApproverUnits(u), u.ID)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	for _, r := range reps {
		out = append(out, Task{Kind: "报告审批", Title: fmt.Sprintf("%s（第 %d 版，%s 保存）", r.Title, r.Version, r.SavedBy),
			Link: fmt.Sprintf("/reports/%d?v=%d", r.DraftID, r.Version), Since: r.SavedAt})
	}
	verify, err := s.st.RectsAwaitingVerification(ctx, supervise.VerifyUnits(sc), u.ID)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	for _, r := range verify {
		out = append(out, Task{Kind: "整改验收", Title: r.Title, Link: fmt.Sprintf("/supervise/rect/%d", r.ID), Due: ledger.FormatDate(r.Deadline)})
	}
	own, err := s.st.RectsOwnedOpen(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	for _, r := range own {
		out = append(out, Task{Kind: "整改任务", Title: r.Title + "（" + supervise.RectStatusLabel(r.Status) + "）", Link: fmt.Sprintf("/supervise/rect/%d", r.ID), Due: ledger.FormatDate(r.Deadline)})
	}
	return out, nil
}

// notifyReportApprovers tells the unit's 第一责任人 and 直接责任人 (except
// the author) that a saved version awaits their approval. Failures are
// logged: the version is already on their 待办 page.
func (s *Service) notifyReportApprovers(ctx context.Context, unitID, draftID int64, version int, title string, author int64) {
	users, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		s.log.Warn("report approvers", "draft", draftID, "err", err)
		return
	}
	ids := report.Approvers(users, unitID, author)
	if len(ids) == 0 {
		return
	}
	key := fmt.Sprintf("report:%d:%d", draftID, version)
	body := fmt.Sprintf("报告「%s」第 %d 版已保存，待您审批。", title, version)
	if err := s.st.Notify(ctx, unitID, ids, key, "待审批报告："+title, body, fmt.Sprintf("/reports/%d?v=%d", draftID, version)); err != nil {
		s.log.Warn("report notify", "draft", draftID, "err", err)
	}
}

// notifyRectVerifiers tells the unit's 意识形态专干 who did not work on the
// item that it awaits verification.
func (s *Service) notifyRectVerifiers(ctx context.Context, r supervise.Rect) {
	users, err := s.st.Users(ctx, []int64{r.UnitID}, true)
	if err != nil {
		s.log.Warn("rect verifiers", "rect", r.ID, "err", err)
		return
	}
	ids := supervise.Verifiers(users, r)
	if len(ids) == 0 {
		return
	}
	key := fmt.Sprintf("rect:%d:%d", r.ID, r.UpdatedAt)
	body := fmt.Sprintf("整改事项「%s」已提交验收，请核实佐证材料后验收销号或退回。", r.Title)
	if err := s.st.Notify(ctx, r.UnitID, ids, key, "待验收整改事项："+r.Title, body, fmt.Sprintf("/supervise/rect/%d", r.ID)); err != nil {
		s.log.Warn("rect notify", "rect", r.ID, "err", err)
	}
}

// TaskCount is how many tasks wait for u (the top bar's 待办 count).
func (s *Service) TaskCount(ctx context.Context, u org.User, sc access.Scope) (int, error) {
	if !sc.HasContent() { // administrators: no workflow waits for them
		return 0, nil
	}
	ts, err := s.Tasks(ctx, u, sc)
	return len(ts), err
}
