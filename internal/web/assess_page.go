package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// assessActor is the caller for assess's permission rules.
func (c *reqCtx) assessActor() assess.Actor { return service.AssessActor(c.user, c.scope) }

// assessYear is the year asked for, else the newest year with a published
// tree for the unit, else the current year.
func (s *Server) assessYear(ctx context.Context, r *http.Request, c *reqCtx, unitID int64) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	now := s.now().In(cntime.Zone).Year()
	for y := now; y >= now-5; y-- {
		if _, err := s.st.TreeOf(ctx, c.scope, unitID, y, false); err == nil {
			return y
		}
	}
	return now
}

// assessGroup is one 一级指标 with its lines.
type assessGroup struct {
	Name  string
	Lines []assess.Line
	Sum   float64
	Max   float64
}

func groupLines(lines []assess.Line) []assessGroup {
	var out []assessGroup
	for _, l := range lines {
		if len(out) == 0 || out[len(out)-1].Name != l.Indicator.Category {
			out = append(out, assessGroup{Name: l.Indicator.Category})
		}
		g := &out[len(out)-1]
		g.Lines = append(g.Lines, l)
		g.Sum += l.Score
		if !l.Indicator.Bonus && l.Indicator.Rule != assess.RulePenalty {
			g.Max += l.Indicator.Points
		}
	}
	return out
}

// assessHome is a unit's assessment for a year: every indicator with its
// score, where the score comes from (the records behind an automatic one,
// the self-assessment and evidence, the district's review and reason),
// and the forms the caller may use in the assessment's state.
func (s *Server) assessHome(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.assessPage(w, r, c, 0, http.StatusOK, "")
}

func (s *Server) assessPage(w http.ResponseWriter, r *http.Request, c *reqCtx, asID int64, status int, errMsg string) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	ctx := r.Context()
	a := c.assessActor()
	var t assess.Tree
	var us *service.UnitScore
	var err error
	unitID := unitChoice(c, r)
	year := 0
	if asID != 0 {
		t, us, err = s.svc.UnitScoreOf(ctx, c.scope, asID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		unitID, year = us.Assessment.UnitID, t.Year
	} else {
		year = s.assessYear(ctx, r, c, unitID)
		t, err = s.st.TreeOf(ctx, c.scope, unitID, year, false)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.httpError(w, r, c, err)
			return
		}
		if err == nil {
			m, err := s.svc.ScoreUnits(ctx, c.scope, t, []int64{unitID})
			if err != nil {
				s.httpError(w, r, c, err)
				return
			}
			us = m[unitID]
		}
	}
	units, err := s.unitNodes(ctx, c.scope.ReadUnits)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	data := map[string]any{"Title": "考核", "Nav": "assess", "UnitID": unitID, "Units": units, "Year": year, "Tree": t, "Score": us, "Error": errMsg,
		"District": a.District(unitID), "CanSelf": assess.CanSelfAssess(a, unitID), "CanCases": assess.CanSeeCases(a, unitID),
		"Rule": assess.ScoringRule}
	if us != nil {
		data["Groups"] = groupLines(us.Result.Lines)
		st := us.Assessment.State
		data["SelfOpen"] = data["CanSelf"].(bool) && st == assess.StateSelf
		data["ReviewOpen"] = data["District"].(bool) && st == assess.StateSubmitted
	}
	s.renderStatus(w, r, c, status, "assess_unit", data)
}

// assessItemSave saves a self-assessment (the unit) or a review (the
// district) of one item; which depends on who posts.
func (s *Server) assessItemSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	a := c.assessActor()
	as, err := s.st.Assessment(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	it, err := form.AssessItemForm(r.PostForm)
	if err == nil {
		if a.District(as.UnitID) {
			err = s.svc.Review(r.Context(), c.actor(), a, id, it.IndicatorID, it.Score, it.Veto, it.Reason)
		} else {
			err = s.svc.SelfAssess(r.Context(), c.actor(), a, id, it.IndicatorID, it.Score, it.Veto, it.Note, it.Evidence)
		}
	}
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.assessPage(w, r, c, id, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess?unit=%d&year=%d&ok=saved#ind-%d", as.UnitID, as.Year, it.IndicatorID))
}

// assessStep submits, returns, finishes, publishes or freezes one assessment.
func (s *Server) assessStep(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	if _, err := s.st.Assessment(r.Context(), c.scope, id); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	act := r.PostForm.Get("act")
	switch act {
	case assess.ActSubmit, assess.ActReturn, assess.ActFinish, assess.ActPublish, assess.ActFreeze:
	default:
		s.httpError(w, r, c, apperr.Field("操作", "无效"))
		return
	}
	as, err := s.svc.StepAssessment(r.Context(), c.actor(), c.assessActor(), id, act, form.Text(r.PostForm, "note"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.assessPage(w, r, c, id, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess?unit=%d&year=%d&ok=saved", as.UnitID, as.Year))
}

// assessByLabel says where a score comes from.
func assessByLabel(by string) string {
	switch by {
	case "auto":
		return "自动计分"
	case "self":
		return "自评"
	case "review":
		return "区级审核"
	}
	return "尚未评分"
}

// seesCases reports whether the user holds a role that may see
// accountability cases somewhere (the menu link; each case is checked by
// assess.CanSeeCases).
func seesCases(u *org.User) bool {
	if u == nil {
		return false
	}
	for _, g := range u.Grants {
		if g.Role == access.FirstResp || g.Role == access.Supervisor && g.Kind == "district" {
			return true
		}
	}
	return false
}
