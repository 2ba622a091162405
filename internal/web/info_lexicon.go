package web

import (
	"net/http"

	"zhendi/internal/infosub"
	"zhendi/internal/web/form"
)

// The screening lexicon: the built-in terms, the unit's own (add, import,
// export, delete) and a test box.

// lexiconMaxBytes caps an imported TSV file.
const lexiconMaxBytes = 4 << 20

func (s *Server) infoLexicon(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.renderLexicon(w, r, c, "", http.StatusOK)
}

func (s *Server) renderLexicon(w http.ResponseWriter, r *http.Request, c *reqCtx, errMsg string, status int) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	terms, err := s.st.InfoTerms(r.Context(), unitID)
	if err != nil {
		s.httpError(w, r, c, err)
		return
	}
	counts := map[string]int{}
	for _, t := range infosub.DefaultTerms() {
		counts[t.Category]++
	}
	type catCount struct {
		Cat string
		N   int
	}
	var builtin []catCount
	for _, cat := range infosub.TermCategories {
		builtin = append(builtin, catCount{cat, counts[cat]})
	}
	sample := r.URL.Query().Get("test")
	var sampleFindings []infosub.Finding
	if sample != "" {
		scr, err := s.svc.InfoScreener(r.Context(), unitID)
		if err != nil {
			s.httpError(w, r, c, err)
			return
		}
		sampleFindings = scr.Screen(sample)
	}
	s.renderStatus(w, r, c, status, "info_lexicon", map[string]any{"Title": "筛查词库", "Nav": "info", "Terms": terms, "Builtin": builtin,
		"Categories": infosub.TermCategories, "CanManage": infosub.CanManage(c.scope, unitID), "Error": errMsg,
		"Sample": sample, "SampleFindings": sampleFindings})
}

func (s *Server) infoLexiconAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	if _, err := s.svc.SaveInfoTerms(r.Context(), c.actor(), c.scope, unitID, []infosub.Term{form.ParseInfoTerm(r.PostForm)}); err != nil {
		s.manageError(w, r, c, err, func(msg string) { s.renderLexicon(w, r, c, msg, http.StatusUnprocessableEntity) })
		return
	}
	redirect(w, r, "/info/lexicon?ok=saved")
}

func (s *Server) infoLexiconImport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		s.renderLexicon(w, r, c, "请选择 TSV 文件", http.StatusUnprocessableEntity)
		return
	}
	data, err := readPart(r.MultipartForm.File["file"][0], lexiconMaxBytes)
	if err != nil {
		msg, ok := s.userMessage(w, r, c, err)
		if !ok {
			return
		}
		s.renderLexicon(w, r, c, msg, http.StatusUnprocessableEntity)
		return
	}
	if _, err := s.svc.ImportInfoTerms(r.Context(), c.actor(), c.scope, unitID, data); err != nil {
		s.manageError(w, r, c, err, func(msg string) {
			s.renderLexicon(w, r, c, "导入失败，未导入任何词条："+msg, http.StatusUnprocessableEntity)
		})
		return
	}
	redirect(w, r, "/info/lexicon?ok=info_imported")
}

func (s *Server) infoLexiconExport(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageUnit(w, r, c)
	if !ok {
		return
	}
	terms := infosub.DefaultTerms()
	name := "内置筛查词库.tsv"
	if r.URL.Query().Get("builtin") != "1" {
		var err error
		if terms, err = s.st.InfoTerms(r.Context(), unitID); err != nil {
			s.httpError(w, r, c, err)
			return
		}
		name = "本单位筛查词库.tsv"
	}
	if !s.recordDownload(w, r, c, unitID, "info.terms.export", "lexicon", 0, map[string]any{"title": name, "terms": len(terms)}) {
		return
	}
	s.download(w, name, "text/tab-separated-values; charset=utf-8", infosub.FormatTermsTSV(terms))
}

func (s *Server) infoLexiconDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	unitID, ok := s.manageForm(w, r, c)
	if !ok {
		return
	}
	if err := s.svc.DeleteInfoTerm(r.Context(), c.actor(), c.scope, unitID, formID(r.PathValue("tid"))); err != nil {
		s.httpError(w, r, c, err)
		return
	}
	redirect(w, r, "/info/lexicon?ok=saved")
}
