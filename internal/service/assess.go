package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/assess"
	"zhendi/internal/chartimg"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/org"
	"zhendi/internal/report"
	"zhendi/internal/store"
)

// Module 8 考核问责: the use cases. The rules are assess's; the measures
// come from the scorers (assess_scorers.go); the store keeps the rows.

// AssessActor is who acts, for assess's permission rules.
func AssessActor(u org.User, sc access.Scope) assess.Actor {
	return assess.Actor{UserID: u.ID, Scope: sc, Grants: u.Grants}
}

// UnitScore is one unit's assessment scored: live (recomputed from the
// records on every read) until frozen, then the numbers kept at the freeze.
type UnitScore struct {
	Assessment assess.Assessment
	Result     assess.Result
	Items      map[int64]assess.Item
	Frozen     bool
}

// ScoreUnits scores the units against a tree: each live assessment from
// the records as they are now (one Measure call per distinct scorer and
// parameter for all units together), each frozen one from its kept
// numbers. Units the scope does not read are left out.
func (s *Service) ScoreUnits(ctx context.Context, sc access.Scope, t assess.Tree, unitIDs []int64) (map[int64]*UnitScore, error) {
	list, err := s.st.Assessments(ctx, sc, t.ID, unitIDs)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	var live []int64
	for i, a := range list {
		ids[i] = a.ID
		if a.Live() {
			live = append(live, a.UnitID)
		}
	}
	items, err := s.st.AssessItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	measures, err := s.measure(ctx, sc, t, live)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*UnitScore, len(list))
	for _, a := range list {
		us := &UnitScore{Assessment: a, Items: items[a.ID]}
		if !a.Live() {
			r, err := s.st.FrozenResult(ctx, a.ID)
			if err != nil {
				return nil, err
			}
			us.Result, us.Frozen = r, true
		} else {
			in := map[int64]assess.Item{}
			for id, it := range items[a.ID] {
				in[id] = it
			}
			for _, ind := range t.Indicators {
				if ind.Method == assess.Auto {
					it := in[ind.ID]
					m := measures[ind.ID][a.UnitID]
					it.Measure = &m
					in[ind.ID] = it
				}
			}
			us.Result = assess.Score(t, in)
		}
		out[a.UnitID] = us
	}
	return out, nil
}

// measure runs the tree's scorers for the units: indicator id → unit → measure.
func (s *Service) measure(ctx context.Context, sc access.Scope, t assess.Tree, units []int64) (map[int64]map[int64]assess.Measure, error) {
	out := map[int64]map[int64]assess.Measure{}
	if len(units) == 0 {
		return out, nil
	}
	type key struct{ scorer, param string }
	done := map[key]map[int64]assess.Measure{}
	run := s.newRun(sc, units, t.Year)
	for _, ind := range t.Indicators {
		if ind.Method != assess.Auto {
			continue
		}
		k := key{ind.Scorer, ind.Param}
		m, ok := done[k]
		if !ok {
			scr, found := s.scorer(ind.Scorer)
			if !found {
				return nil, fmt.Errorf("indicator %d: unknown scorer %q", ind.ID, ind.Scorer)
			}
			var err error
			if m, err = scr.Measure(ctx, run, ind.Param); err != nil {
				return nil, fmt.Errorf("measure %s(%s): %w", ind.Scorer, ind.Param, err)
			}
			done[k] = m
		}
		out[ind.ID] = m
	}
	return out, nil
}

// Ranking scores every unit under the tree's district the scope reads and
// ranks them.
func (s *Service) Ranking(ctx context.Context, sc access.Scope, t assess.Tree) ([]assess.Ranked, map[int64]*UnitScore, error) {
	scores, err := s.ScoreUnits(ctx, sc, t, sc.ReadUnits)
	if err != nil {
		return nil, nil, err
	}
	var rs []assess.Ranked
	for id, us := range scores {
		rs = append(rs, assess.Ranked{UnitID: id, Name: us.Assessment.UnitName, Result: us.Result, State: us.Assessment.State})
	}
	return assess.Rank(rs), scores, nil
}

// UnitScoreOf scores one assessment (by id) against its tree.
func (s *Service) UnitScoreOf(ctx context.Context, sc access.Scope, id int64) (assess.Tree, *UnitScore, error) {
	a, err := s.st.Assessment(ctx, sc, id)
	if err != nil {
		return assess.Tree{}, nil, err
	}
	t, err := s.st.Tree(ctx, sc, a.TreeID)
	if err != nil {
		return t, nil, err
	}
	m, err := s.ScoreUnits(ctx, sc, t, []int64{a.UnitID})
	if err != nil {
		return t, nil, err
	}
	us := m[a.UnitID]
	if us == nil {
		return t, nil, apperr.ErrNotFound
	}
	return t, us, nil
}

// SelfAssess saves the unit's self-assessment of a manual item.
func (s *Service) SelfAssess(ctx context.Context, actor store.Actor, a assess.Actor, id, indID int64, score float64, veto bool, note, evidence string) error {
	t, _, err := s.UnitScoreOf(ctx, a.Scope, id)
	if err != nil {
		return err
	}
	ind, ok := indicatorOf(t, indID)
	if !ok {
		return apperr.ErrNotFound
	}
	if err := assess.ValidateSelf(ind, score, evidence); err != nil {
		return err
	}
	return s.st.SaveAssessItem(ctx, actor, a.Scope, id, indID, "assess.self", func(as assess.Assessment, it *assess.Item) error {
		if err := assess.Check(a, as, assess.ActSelf); err != nil {
			return err
		}
		it.Self, it.SelfVeto, it.SelfNote, it.Evidence = &score, veto && ind.Veto, strings.TrimSpace(note), strings.TrimSpace(evidence)
		return nil
	})
}

// Review saves the district's score of an item: a changed score needs a
// reason; the unit itself cannot review (assess.Check).
func (s *Service) Review(ctx context.Context, actor store.Actor, a assess.Actor, id, indID int64, score float64, veto bool, reason string) error {
	t, us, err := s.UnitScoreOf(ctx, a.Scope, id)
	if err != nil {
		return err
	}
	if err := assess.Check(a, us.Assessment, assess.ActReview); err != nil {
		return err
	}
	ind, ok := indicatorOf(t, indID)
	if !ok {
		return apperr.ErrNotFound
	}
	var before float64
	var beforeVeto bool
	for _, l := range us.Result.Lines {
		if l.Indicator.ID == indID {
			before, beforeVeto = l.Score, l.Vetoed
		}
	}
	if err := assess.ValidateReview(ind, before, score, reason); err != nil {
		return err
	}
	if ind.Veto && veto != beforeVeto && strings.TrimSpace(reason) == "" {
		return apperr.Field("调整理由", "改变一票否决的认定须写明理由")
	}
	return s.st.SaveAssessItem(ctx, actor, a.Scope, id, indID, "assess.review", func(as assess.Assessment, it *assess.Item) error {
		if err := assess.Check(a, as, assess.ActReview); err != nil {
			return err
		}
		v := veto && ind.Veto
		it.Review, it.Reason, it.ReviewerID = &score, strings.TrimSpace(reason), a.UserID
		if ind.Veto {
			it.ReviewVeto = &v
		}
		return nil
	})
}

func indicatorOf(t assess.Tree, id int64) (assess.Indicator, bool) {
	for _, i := range t.Indicators {
		if i.ID == id {
			return i, true
		}
	}
	return assess.Indicator{}, false
}

// StepAssessment takes the assessment one step (submit, return, finish,
// publish, freeze). Submitting needs every manual item self-assessed with
// its evidence; freezing keeps the numbers as they are now.
func (s *Service) StepAssessment(ctx context.Context, actor store.Actor, a assess.Actor, id int64, act, note string) (assess.Assessment, error) {
	t, us, err := s.UnitScoreOf(ctx, a.Scope, id)
	if err != nil {
		return assess.Assessment{}, err
	}
	if err := assess.Check(a, us.Assessment, act); err != nil {
		return us.Assessment, err
	}
	if act == assess.ActSubmit {
		if err := assess.CheckSubmit(t, us.Items); err != nil {
			return us.Assessment, err
		}
	}
	if act == assess.ActReturn && strings.TrimSpace(note) == "" {
		return us.Assessment, apperr.Field("退回理由", "不能为空")
	}
	var frozen func(assess.Assessment) (*assess.Result, error)
	if act == assess.ActFreeze {
		frozen = func(assess.Assessment) (*assess.Result, error) {
			// Recomputed inside the step so the kept numbers are the latest.
			_, cur, err := s.UnitScoreOf(ctx, a.Scope, id)
			if err != nil {
				return nil, err
			}
			return &cur.Result, nil
		}
	}
	return s.st.StepAssessment(ctx, actor, a.Scope, id, "assess."+act, func(as *assess.Assessment) error {
		if err := assess.Check(a, *as, act); err != nil {
			return err
		}
		as.State = assess.Next(act, as.State)
		switch act {
		case assess.ActReturn:
			as.ReturnNote = strings.TrimSpace(note)
		case assess.ActSubmit:
			as.ReturnNote = ""
		case assess.ActFinish:
			as.ReviewedBy = a.UserID
		}
		return nil
	}, frozen)
}

// StepAll takes every assessment of a tree that is in the right state one
// step (the district publishing or freezing the year at once) and returns
// how many moved.
func (s *Service) StepAll(ctx context.Context, actor store.Actor, a assess.Actor, t assess.Tree, act string) (int, error) {
	list, err := s.st.Assessments(ctx, a.Scope, t.ID, a.Scope.ReadUnits)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, as := range list {
		if assess.Check(a, as, act) != nil {
			continue
		}
		if _, err := s.StepAssessment(ctx, actor, a, as.ID, act, ""); err != nil {
			return n, fmt.Errorf("%s %s: %w", assess.ActionLabel(act), as.UnitName, err)
		}
		n++
	}
	return n, nil
}

// --- trees ---

// CanEditTree reports whether the actor edits the trees of a node: the
// district's 上级督查, or — in an installation without a district — the
// unit's 第一责任人 or 专干 for a tree of its own.
func CanEditTree(a assess.Actor, orgID int64) bool {
	return orgID != 0 && (a.DistrictOrg() == orgID || assess.CanSelfAssess(a, orgID) && a.Scope.HomeUnit == orgID && isTopUnit(a, orgID))
}

// isTopUnit: a unit grant at a top node (no district above it).
func isTopUnit(a assess.Actor, orgID int64) bool {
	for _, g := range a.Grants {
		if g.OrgID == orgID && g.Root {
			return true
		}
	}
	return false
}

// CreateDefaultTree stores the default tree for a year under a node.
func (s *Service) CreateDefaultTree(ctx context.Context, actor store.Actor, a assess.Actor, orgID int64, year int) (assess.Tree, error) {
	if !CanEditTree(a, orgID) {
		return assess.Tree{}, apperr.ErrNotFound
	}
	t := assess.DefaultTree(orgID, year)
	if err := t.Validate(); err != nil {
		return t, err
	}
	err := s.st.CreateTree(ctx, actor, &t)
	return t, err
}

// SaveIndicator adds (ID 0) or changes an indicator of a draft tree.
func (s *Service) SaveIndicator(ctx context.Context, actor store.Actor, a assess.Actor, treeID int64, ind assess.Indicator) (assess.Tree, error) {
	if err := ind.Validate(scorerKeys(s.scorerSet())); err != nil {
		return assess.Tree{}, err
	}
	if ind.Method == assess.Auto {
		scr, _ := s.scorer(ind.Scorer)
		if err := scr.CheckParam(ind.Param); err != nil {
			return assess.Tree{}, err
		}
	}
	return s.changeTree(ctx, actor, a, treeID, "assess.tree.indicator", func(t *assess.Tree) error {
		if ind.ID == 0 {
			ind.Sort = len(t.Indicators) + 1
			t.Indicators = append(t.Indicators, ind)
			return nil
		}
		for i := range t.Indicators {
			if t.Indicators[i].ID == ind.ID {
				if ind.Sort == 0 {
					ind.Sort = t.Indicators[i].Sort
				}
				t.Indicators[i] = ind
				return nil
			}
		}
		return apperr.ErrNotFound
	})
}

// DeleteIndicator removes an indicator of a draft tree.
func (s *Service) DeleteIndicator(ctx context.Context, actor store.Actor, a assess.Actor, treeID, indID int64) (assess.Tree, error) {
	return s.changeTree(ctx, actor, a, treeID, "assess.tree.indicator_delete", func(t *assess.Tree) error {
		n := len(t.Indicators)
		t.Indicators = slices.DeleteFunc(t.Indicators, func(i assess.Indicator) bool { return i.ID == indID })
		if len(t.Indicators) == n {
			return apperr.ErrNotFound
		}
		return nil
	})
}

// SaveTreeSettings changes a draft tree's name, weight and bonus cap.
func (s *Service) SaveTreeSettings(ctx context.Context, actor store.Actor, a assess.Actor, treeID int64, name string, weight, bonusCap float64) (assess.Tree, error) {
	return s.changeTree(ctx, actor, a, treeID, "assess.tree.update", func(t *assess.Tree) error {
		t.Name, t.Weight, t.BonusCap = name, weight, bonusCap
		return t.Validate()
	})
}

// PublishTree publishes a draft tree (its full marks must be 100); the
// units' assessments open against it.
func (s *Service) PublishTree(ctx context.Context, actor store.Actor, a assess.Actor, treeID int64) (assess.Tree, error) {
	return s.changeTree(ctx, actor, a, treeID, "assess.tree.publish", func(t *assess.Tree) error {
		if err := t.CanPublish(); err != nil {
			return err
		}
		t.Status = assess.TreePublished
		return nil
	})
}

func (s *Service) changeTree(ctx context.Context, actor store.Actor, a assess.Actor, treeID int64, action string, fn func(*assess.Tree) error) (assess.Tree, error) {
	if _, err := s.st.Tree(ctx, a.Scope, treeID); err != nil {
		return assess.Tree{}, err
	}
	return s.st.ChangeTree(ctx, actor, treeID, action, func(t *assess.Tree) error {
		if !CanEditTree(a, t.OrgID) {
			return apperr.ErrNotFound
		}
		if t.Status == assess.TreePublished {
			return assess.ErrTreePublished
		}
		return fn(t)
	})
}

// --- responsibility list, 分管, 五个纳入, 述职 ---

// UnitPeople describes the unit's people for the list generator: roles
// held in the unit, the department a head heads, and the 分管 of leaders.
func (s *Service) UnitPeople(ctx context.Context, sc access.Scope, unitID int64) ([]assess.Person, error) {
	users, err := s.st.Users(ctx, []int64{unitID}, true)
	if err != nil {
		return nil, err
	}
	fg, err := s.st.Fenguan(ctx, sc, unitID)
	if err != nil {
		return nil, err
	}
	nodes, err := s.st.Nodes(ctx, []int64{unitID}, false)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, n := range nodes {
		names[n.ID] = n.Name
	}
	var out []assess.Person
	for _, u := range users {
		if u.Disabled {
			continue
		}
		p := assess.Person{ID: u.ID, Name: u.Name, Title: u.Title}
		for _, g := range u.Grants {
			if g.UnitID != unitID {
				continue
			}
			p.Roles = append(p.Roles, g.Role)
			if g.Role == access.DeptHead && g.Kind != "unit" {
				p.DeptID, p.Dept = g.OrgID, names[g.OrgID]
			}
		}
		for _, f := range fg {
			if f.UserID == u.ID {
				p.Fenguan = append(p.Fenguan, assess.Dept{ID: f.OrgID, Name: names[f.OrgID]})
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// GenerateDuties adds to the unit's list the items its roles and 分管 call
// for that it does not have yet, and returns how many.
func (s *Service) GenerateDuties(ctx context.Context, actor store.Actor, a assess.Actor, unitID int64) (int, error) {
	if !assess.CanSelfAssess(a, unitID) {
		return 0, apperr.ErrNotFound
	}
	people, err := s.UnitPeople(ctx, a.Scope, unitID)
	if err != nil {
		return 0, err
	}
	have, err := s.st.Duties(ctx, a.Scope, unitID, 0)
	if err != nil {
		return 0, err
	}
	add := assess.MissingDuties(assess.GenerateDuties(unitID, people), have)
	if len(add) == 0 {
		return 0, nil
	}
	return len(add), s.st.AddDuties(ctx, actor, a.Scope, unitID, add)
}

// SaveDuty adds (ID 0) or changes an item of the list.
func (s *Service) SaveDuty(ctx context.Context, actor store.Actor, a assess.Actor, d assess.Duty) error {
	unit := d.UnitID
	if d.ID != 0 {
		cur, err := s.st.Duty(ctx, a.Scope, d.ID)
		if err != nil {
			return err
		}
		unit = cur.UnitID
	}
	if !assess.CanSelfAssess(a, unit) {
		return apperr.ErrNotFound
	}
	d.UnitID = unit
	if err := d.Validate(); err != nil {
		return err
	}
	if d.ID == 0 {
		return s.st.AddDuties(ctx, actor, a.Scope, unit, []assess.Duty{d})
	}
	return s.st.UpdateDuty(ctx, actor, a.Scope, d)
}

// DeleteDuty removes an item of the list.
func (s *Service) DeleteDuty(ctx context.Context, actor store.Actor, a assess.Actor, id int64) error {
	cur, err := s.st.Duty(ctx, a.Scope, id)
	if err != nil {
		return err
	}
	if !assess.CanSelfAssess(a, cur.UnitID) {
		return apperr.ErrNotFound
	}
	return s.st.DeleteDuty(ctx, actor, a.Scope, id)
}

// CanEditFenguan: the unit's system administrator (org data) or its
// leaders and clerk.
func CanEditFenguan(a assess.Actor, unitID int64) bool {
	return a.Scope.CanAdmin(unitID) || assess.CanSelfAssess(a, unitID)
}

// SetFenguan replaces a leader's 分管 departments.
func (s *Service) SetFenguan(ctx context.Context, actor store.Actor, a assess.Actor, unitID, userID int64, orgIDs []int64) error {
	if !CanEditFenguan(a, unitID) {
		return apperr.ErrNotFound
	}
	slices.Sort(orgIDs)
	return s.st.SetFenguan(ctx, actor, a.Scope, unitID, userID, slices.Compact(orgIDs))
}

// SaveInclusion confirms (or withdraws) one of the 五个纳入.
func (s *Service) SaveInclusion(ctx context.Context, actor store.Actor, a assess.Actor, in assess.Inclusion) error {
	if !assess.CanSelfAssess(a, in.UnitID) {
		return apperr.ErrNotFound
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.st.SaveInclusion(ctx, actor, a.Scope, in)
}

// SaveDebrief records a leader's 述职 and its 测评.
func (s *Service) SaveDebrief(ctx context.Context, actor store.Actor, a assess.Actor, d *assess.Debrief) error {
	unit := d.UnitID
	if d.ID != 0 {
		cur, err := s.st.Debrief(ctx, a.Scope, d.ID)
		if err != nil {
			return err
		}
		unit = cur.UnitID
	}
	if !assess.CanSelfAssess(a, unit) {
		return apperr.ErrNotFound
	}
	d.UnitID = unit
	if err := d.Validate(); err != nil {
		return err
	}
	return s.st.SaveDebrief(ctx, actor, a.Scope, d)
}

// --- accountability cases ---

// Cases lists the cases of a unit the actor may see (audited).
func (s *Service) Cases(ctx context.Context, actor store.Actor, a assess.Actor, unitIDs []int64, year int) ([]assess.Case, error) {
	return s.st.Cases(ctx, actor, unitIDs, year, func(u int64) bool { return assess.CanSeeCases(a, u) })
}

// Case opens one case (audited); not found for anyone who may not see it.
func (s *Service) Case(ctx context.Context, actor store.Actor, a assess.Actor, id int64) (assess.Case, error) {
	return s.st.Case(ctx, actor, id, func(u int64) bool { return assess.CanSeeCases(a, u) })
}

// SaveCase records a case or its next steps.
func (s *Service) SaveCase(ctx context.Context, actor store.Actor, a assess.Actor, c *assess.Case) error {
	unit := c.UnitID
	before := ""
	if c.ID != 0 {
		var err error
		if unit, err = s.st.CaseUnit(ctx, c.ID); err != nil {
			return err
		}
		if !assess.CanManageCases(a, unit) {
			return apperr.ErrNotFound
		}
		if before, err = s.st.CaseSituation(ctx, c.ID); err != nil {
			return err
		}
	}
	if !assess.CanManageCases(a, unit) {
		return apperr.ErrNotFound
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.checkSituation(ctx, unit, c.Situation, before); err != nil {
		return err
	}
	return s.st.SaveCase(ctx, actor, c, func(u int64) bool { return assess.CanManageCases(a, u) })
}

// Results ranks the units of a tree for the 通报 and the workbook; Live
// says whether any result still follows the records.
func (s *Service) Results(ctx context.Context, sc access.Scope, t assess.Tree) (assess.Results, error) {
	ranked, scores, err := s.Ranking(ctx, sc, t)
	if err != nil {
		return assess.Results{}, err
	}
	rs := assess.Results{Tree: t, Ranked: ranked}
	for _, us := range scores {
		rs.Live = rs.Live || !us.Frozen
	}
	return rs, nil
}

// DistrictTree finds the tree of a district node for a year (drafts too
// when the actor edits it).
func (s *Service) DistrictTree(ctx context.Context, a assess.Actor, orgID int64, year int) (assess.Tree, error) {
	trees, err := s.st.Trees(ctx, a.Scope, orgID)
	if err != nil {
		return assess.Tree{}, err
	}
	for _, t := range trees {
		if t.Year == year && (t.Status == assess.TreePublished || CanEditTree(a, orgID)) {
			return s.st.Tree(ctx, a.Scope, t.ID)
		}
	}
	return assess.Tree{}, apperr.ErrNotFound
}

// FinishDocument adds the 主送机关, 落款 and 版记 to a document issued by a
// node, from its 公文设置 (a district issues as 中共<区>委宣传部 unless set
// otherwise), dated today: the command line's 通报 are finished as the
// pages' are (web's finishDoc).
func (s *Service) FinishDocument(ctx context.Context, d *docx.Doc, f report.Finishing, nodeID int64) error {
	n, err := s.st.Node(ctx, nodeID)
	if err != nil {
		return fmt.Errorf("issuing node %d: %w", nodeID, err)
	}
	ds, err := s.st.DocSettings(ctx, nodeID)
	if err != nil {
		return err
	}
	if n.Kind == org.District {
		if ds.Issuer == "" {
			ds.Issuer = "中共" + n.Name + "委宣传部"
		}
		if ds.Printer == "" {
			ds.Printer = ds.Issuer
		}
	}
	d.Keep = append(d.Keep, n.Name)
	report.Finish(d, f, ds, n.Name, cntime.Date(s.now()))
	return nil
}

// AssessCircular writes the district's 考核结果通报 with its ranking chart
// (drawn with the machine's CJK font; without one the chart is left out
// and the table stays) and the 公文设置's 主送机关, 落款 and 版记.
func (s *Service) AssessCircular(ctx context.Context, rs assess.Results) (docx.Doc, error) {
	var charts []docx.Image
	if len(rs.Ranked) > 0 {
		if r, err := chartimg.Open(""); err == nil {
			img, err := r.Image(rs.RankingChart(), "图1　各单位考核总分")
			if err != nil {
				return docx.Doc{}, fmt.Errorf("ranking chart: %w", err)
			}
			charts = append(charts, img)
		} else if !errors.Is(err, chartimg.ErrNoCJKFont) {
			return docx.Doc{}, fmt.Errorf("chart font: %w", err)
		}
	}
	d := rs.Circular(charts...)
	if err := s.FinishDocument(ctx, &d, report.CircularFinishing, rs.Tree.OrgID); err != nil {
		return d, err
	}
	return d, nil
}
