package service

import (
	"context"
	"fmt"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/incident"
	"zhendi/internal/infosub"
	"zhendi/internal/notify"
	"zhendi/internal/store"
)

// 舆情处置 use cases: start an incident (from an event page or by hand),
// edit it, fill in and complete its steps, add evidence, and the
// reminders before and after each national time limit (run by the
// supervision round, Remind).

// StartIncident starts an incident in in.UnitID with every step assigned
// to owner, and sets in.ID. apperr.ErrNotFound when the scope may not
// manage the unit; validation errors and an owner outside the unit are
// user errors.
func (s *Service) StartIncident(ctx context.Context, actor store.Actor, sc access.Scope, in *incident.Incident, owner int64) error {
	if !incident.CanManage(sc, in.UnitID) {
		return apperr.ErrNotFound
	}
	if err := in.Validate(s.now().Unix()); err != nil {
		return err
	}
	if owner == 0 {
		return incident.ErrNoOwner
	}
	in.Steps = incident.NewSteps(owner)
	return s.st.CreateIncident(ctx, actor, sc, in)
}

// EditIncident changes an incident's title, level, discovery time and
// summary (incident.Edit); the time limits follow the new level and time.
func (s *Service) EditIncident(ctx context.Context, actor store.Actor, sc access.Scope, id int64, in incident.Incident) (incident.Incident, error) {
	now := s.now().Unix()
	return s.st.UpdateIncident(ctx, actor, sc, id, "incident.update", func(cur *incident.Incident) error {
		return incident.Edit(sc, cur, in, now)
	})
}

// SaveIncidentStep applies a step's form (incident.SaveStep). The 回应
// step's text is screened with the unit's pre-publication lexicon (the
// same as information drafts) before the step may be completed.
func (s *Service) SaveIncidentStep(ctx context.Context, actor store.Actor, sc access.Scope, id int64, step string, in incident.StepInput) (incident.Incident, error) {
	cur, err := s.st.Incident(ctx, sc, id)
	if err != nil {
		return cur, err
	}
	scr, err := s.InfoScreener(ctx, cur.UnitID)
	if err != nil {
		return cur, err
	}
	now := s.now().Unix()
	return s.st.UpdateIncident(ctx, actor, sc, id, "incident.step", func(inc *incident.Incident) error {
		return incident.SaveStep(sc, inc, step, in, now, func(text string) []string { return scr.BlockingTerms("", text) })
	})
}

// ScreenResponse is the pre-publication screening of a response text for
// the incident page: every finding, blocking or not.
func (s *Service) ScreenResponse(ctx context.Context, unitID int64, text string) ([]infosub.Finding, error) {
	if text == "" {
		return nil, nil
	}
	scr, err := s.InfoScreener(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return scr.Screen(text), nil
}

// AddIncidentEvidence stores evidence files on a step of an incident.
func (s *Service) AddIncidentEvidence(ctx context.Context, actor store.Actor, sc access.Scope, id int64, step string, files []store.IncidentUpload) ([]incident.File, error) {
	return s.st.AddIncidentFiles(ctx, actor, sc, id, step, files, func(in incident.Incident) error {
		return incident.CheckEvidence(sc, in, step)
	})
}

// incidentReminders remind the people of open incidents before each time
// limit (within its lead time) and once it has passed: the owners of the
// steps not yet done and whoever started the incident. Each reminder is
// keyed by incident, limit and due time, so a changed level or discovery
// time reminds again for the new limit and never twice for one.
func (s *Service) incidentReminders(ctx context.Context, units []int64, now time.Time) ([]reminder, error) {
	incs, err := s.st.OpenIncidents(ctx, units)
	if err != nil {
		return nil, err
	}
	t := now.Unix()
	var rems []reminder
	for _, in := range incs {
		users := in.Owners()
		if in.CreatedBy != 0 && !containsID(users, in.CreatedBy) {
			users = append(users, in.CreatedBy)
		}
		if len(users) == 0 {
			continue
		}
		link := s.cfg.BaseURL + fmt.Sprintf("/opinion/incidents/%d", in.ID)
		for _, d := range in.Deadlines() {
			due := cntime.LongMinute(time.Unix(d.Due, 0))
			switch {
			case d.Remind(t):
				rems = append(rems, reminder{key: fmt.Sprintf("incident/%d/%s/%d/before", in.ID, d.Key, d.Due), unitID: in.UnitID, users: users,
					msg: notify.Message{Title: "【舆情处置提醒】" + clip(in.Title, 40),
						Body: fmt.Sprintf("%s舆情“%s”须在%s前%s，%s，请抓紧办理。", in.LevelLabel(), clip(in.Title, 40), due, d.Label, d.State(t)),
						Link: link}})
			case d.Overdue(t):
				rems = append(rems, reminder{key: fmt.Sprintf("incident/%d/%s/%d/overdue", in.ID, d.Key, d.Due), unitID: in.UnitID, users: users,
					msg: notify.Message{Title: "【舆情处置逾期】" + clip(in.Title, 40),
						Body: fmt.Sprintf("%s舆情“%s”应于%s前%s，现%s，请立即办理并记录。", in.LevelLabel(), clip(in.Title, 40), due, d.Label, d.State(t)),
						Link: link}})
			}
		}
	}
	return rems, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
