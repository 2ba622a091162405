package form

import (
	"fmt"
	"net/url"
	"strconv"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// 信息报送 forms: the draft editor, review, one-click replace, publication,
// lexicon terms, settings and quotas, and the list's query.

// InfoDraft is the draft editor as posted.
type InfoDraft struct {
	// Draft holds the author's fields; Body is sanitised and BodyText its
	// plain text (infosub.CleanBody).
	Draft infosub.Draft
	// ThenSubmit: "保存并提交审核" was pressed.
	ThenSubmit bool
	// Comment goes with the submission.
	Comment string
}

// ParseInfoDraft reads the draft editor.
func ParseInfoDraft(v url.Values) InfoDraft {
	d := infosub.Draft{OrgID: ID(v, "org"), Title: v.Get("title"), Category: v.Get("category"), ActivityID: ID(v, "activity")}
	d.Body, d.BodyText = infosub.CleanBody(v.Get("body"))
	return InfoDraft{Draft: d, ThenSubmit: v.Get("then") == "submit", Comment: Text(v, "comment")}
}

// ParseInfoReview reads a reviewer's decision; the title and text only
// with an edit (the review form's editor).
func ParseInfoReview(v url.Values) infosub.Review {
	rv := infosub.Review{Action: infosub.Action(v.Get("action")), Comment: v.Get("comment")}
	if rv.Action == infosub.ActEdit {
		rv.Title = v.Get("title")
		rv.Body, rv.BodyText = infosub.CleanBody(v.Get("body"))
	}
	return rv
}

// InfoReplace is a one-click replacement from the screening panel.
type InfoReplace struct {
	At       int // rune offset of Old in the draft's plain text
	Old, New string
}

// ParseInfoReplace reads a one-click replacement.
func ParseInfoReplace(v url.Values) InfoReplace {
	return InfoReplace{At: Int(v, "at"), Old: v.Get("old"), New: v.Get("new")}
}

// ParseInfoPublication reads a publication or adoption record of a draft.
func ParseInfoPublication(v url.Values, draftID int64) infosub.Publication {
	return infosub.Publication{DraftID: draftID, Level: v.Get("level"), Outlet: v.Get("outlet"), URL: v.Get("url"),
		Date: HalfWidthDigits(Text(v, "date"))}
}

// ParseInfoTerm reads one lexicon term.
func ParseInfoTerm(v url.Values) infosub.Term {
	return infosub.Term{Term: v.Get("term"), Category: v.Get("category"), Severity: Int(v, "severity"), Suggest: v.Get("suggest"), Note: v.Get("note")}
}

// InfoChainRows is how many review steps the settings form offers; rows
// without a name are left out.
const InfoChainRows = 5

// ParseInfoConfig reads the settings form: the review chain rows
// step0…step4 (name, roles, department flag), the points per level, the
// default quota, proofreading rounds and days per step.
func ParseInfoConfig(v url.Values) infosub.Config {
	c := infosub.Config{Points: infosub.Points{}, Quota: Int(v, "quota"), ProofRounds: Int(v, "proof_rounds"),
		ProofDistinct: v.Get("proof_same_person") != "1", StepDays: Int(v, "step_days")}
	for i := range InfoChainRows {
		name := Text(v, fmt.Sprintf("step%d_name", i))
		if name == "" {
			continue
		}
		st := infosub.Step{Name: name, Dept: v.Get(fmt.Sprintf("step%d_dept", i)) == "1"}
		for _, role := range v[fmt.Sprintf("step%d_roles", i)] {
			st.Roles = append(st.Roles, access.Role(role))
		}
		c.Chain = append(c.Chain, st)
	}
	for _, l := range infosub.Levels {
		c.Points[l.Code] = Int(v, "points_"+l.Code)
	}
	return c
}

// ParseInfoQuota reads a department's monthly quota: -1 when left empty
// (the unit default applies), a user error when it is not a whole number
// of zero or more.
func ParseInfoQuota(v url.Values) (orgID int64, monthly int, err error) {
	monthly = -1
	if s := Text(v, "monthly"); s != "" {
		n, err := strconv.Atoi(HalfWidthDigits(s))
		if err != nil || n < 0 {
			return 0, 0, apperr.Field("每月任务数", "应为 0 到 100 的整数")
		}
		monthly = n
	}
	return ID(v, "org"), monthly, nil
}

// ParseInfoFilter reads the draft list's query; a month that does not parse
// is dropped rather than refused.
func ParseInfoFilter(q url.Values, unitID int64, perPage int) store.DraftFilter {
	f := store.DraftFilter{UnitID: unitID, OrgID: ID(q, "org"), Status: q.Get("status"), Month: q.Get("month"), Q: Text(q, "q"),
		Mine: q.Get("mine") == "1", PubMonth: q.Get("pub"), Adopted: q.Get("adopted") == "1", Counted: q.Get("counted") == "1",
		Page: max(Int(q, "page"), 1), PerPage: perPage}
	for _, m := range []*string{&f.Month, &f.PubMonth} {
		if _, _, _, err := infosub.MonthRange(*m); *m != "" && err != nil {
			*m = ""
		}
	}
	return f
}
