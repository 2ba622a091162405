package web

import (
	"fmt"
	"net/http"

	"zhendi/internal/assess"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web/form"
)

// treeNode is the node whose trees the caller edits or reads: the
// district they supervise, else the district (or top unit) above their unit.
func (s *Server) treeNode(r *http.Request, c *reqCtx) (int64, error) {
	if org := c.assessActor().DistrictOrg(); org != 0 {
		return org, nil
	}
	unit := unitChoice(c, r)
	n, err := s.st.Node(r.Context(), unit)
	if err != nil {
		return 0, err
	}
	if n.ParentID != 0 {
		return n.ParentID, nil
	}
	return unit, nil
}

// assessTrees lists the years' 考核细则 and offers the default tree for a
// new year to whoever edits them.
func (s *Server) assessTrees(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.treesPage(w, r, c, http.StatusOK, "")
}

func (s *Server) treesPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, errMsg string) {
	if len(c.scope.ReadUnits) == 0 {
		s.forbidden(w, r, c)
		return
	}
	node, err := s.treeNode(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	trees, err := s.st.Trees(r.Context(), c.scope, node)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	edit := service.CanEditTree(c.assessActor(), node)
	if !edit {
		var pub []assess.Tree
		for _, t := range trees {
			if t.Status == assess.TreePublished {
				pub = append(pub, t)
			}
		}
		trees = pub
	}
	s.renderStatus(w, r, c, status, "assess_trees", map[string]any{"Title": "考核细则", "Nav": "assess", "Trees": trees, "Node": node, "CanEdit": edit,
		"NextYear": s.now().Year(), "Error": errMsg})
}

// assessTreeCreate makes the default tree for a year.
func (s *Server) assessTreeCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	node, err := s.treeNode(r, c)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	t, err := s.svc.CreateDefaultTree(r.Context(), c.actor(), c.assessActor(), node, form.Int(r.PostForm, "year"))
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.treesPage(w, r, c, http.StatusUnprocessableEntity, msg)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/trees/%d?ok=saved", t.ID))
}

// assessTreeShow is a tree with its indicators: the editor while it is a
// draft and the caller edits it, else read-only.
func (s *Server) assessTreeShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.treePage(w, r, c, formID(r.PathValue("id")), http.StatusOK, "", nil)
}

func (s *Server) treePage(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, status int, errMsg string, draft *assess.Indicator) {
	t, err := s.st.Tree(r.Context(), c.scope, id)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	edit := service.CanEditTree(c.assessActor(), t.OrgID)
	if !edit && t.Status != assess.TreePublished {
		s.httpError(w, r, c, store.ErrNotFound)
		return
	}
	if draft == nil {
		draft = &assess.Indicator{Method: assess.Auto, Rule: assess.RuleRatio}
	}
	s.renderStatus(w, r, c, status, "assess_tree", map[string]any{"Title": t.Name, "Nav": "assess", "Tree": t, "CanEdit": edit && t.Status == assess.TreeDraft,
		"Scorers": s.svc.Scorers(), "Rules": []string{assess.RuleRatio, assess.RulePer, assess.RuleDeduct, assess.RulePenalty}, "Draft": draft,
		"FullMarks": t.FullMarks(), "Error": errMsg})
}

// assessTreeSettings saves a draft tree's name, weight and bonus cap.
func (s *Server) assessTreeSettings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	name, weight, bonus, err := form.TreeSettings(r.PostForm)
	if err == nil {
		_, err = s.svc.SaveTreeSettings(r.Context(), c.actor(), c.assessActor(), id, name, weight, bonus)
	}
	s.treeDone(w, r, c, id, err, nil)
}

// assessIndicatorSave adds or changes an indicator of a draft tree.
func (s *Server) assessIndicatorSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	ind, err := form.Indicator(r.PostForm)
	if err == nil {
		_, err = s.svc.SaveIndicator(r.Context(), c.actor(), c.assessActor(), id, ind)
	}
	s.treeDone(w, r, c, id, err, &ind)
}

// assessIndicatorDelete removes an indicator of a draft tree.
func (s *Server) assessIndicatorDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	_, err := s.svc.DeleteIndicator(r.Context(), c.actor(), c.assessActor(), id, formID(r.PathValue("iid")))
	s.treeDone(w, r, c, id, err, nil)
}

// assessTreePublish publishes a draft tree.
func (s *Server) assessTreePublish(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !s.readForm(w, r, c) {
		return
	}
	id := formID(r.PathValue("id"))
	_, err := s.svc.PublishTree(r.Context(), c.actor(), c.assessActor(), id)
	s.treeDone(w, r, c, id, err, nil)
}

func (s *Server) treeDone(w http.ResponseWriter, r *http.Request, c *reqCtx, id int64, err error, draft *assess.Indicator) {
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.treePage(w, r, c, id, http.StatusUnprocessableEntity, msg, draft)
		return
	}
	redirect(w, r, fmt.Sprintf("/assess/trees/%d?ok=saved", id))
}
