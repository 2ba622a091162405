package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"time"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
)

// finishDoc adds to d the 主送机关, 落款 and 版记 that f asks for, from the
// document settings of the issuing node (a unit, or the district for the
// district 通报 and 月通报), dated by the request's date parameter — the
// 成文日期 the user chose beside the download button — or today.
func (s *Server) finishDoc(ctx context.Context, r *http.Request, d *docx.Doc, f report.Finishing, nodeID int64) error {
	date, err := docDate(r)
	if err != nil {
		return err
	}
	return s.svc.FinishDoc(ctx, d, f, nodeID, date)
}

// docDate reads the 成文日期 of a Word download ("" for today).
func docDate(r *http.Request) (string, error) {
	v := r.URL.Query().Get("date")
	if v == "" {
		return "", nil
	}
	if _, err := time.ParseInLocation(cntime.DateLayout, v, cntime.Zone); err != nil {
		return "", apperr.Field("成文日期", "应为日期，如 2023-07-05")
	}
	return v, nil
}

// docDateForm is the small form beside a Word download that says which
// 成文日期 the document will carry (today unless another is chosen) and
// lets the user pick another: a GET to the download with the page's own
// parameters.
type docDateForm struct {
	Action string
	Params []struct{ Name, Value string }
	Today  string // 2006-01-02, the input's value
	Label  string // 2023年7月5日, said on the page
}

func (s *Server) docDateForm(download string) docDateForm {
	u, _ := url.Parse(download)
	f := docDateForm{Action: u.Path, Today: s.today(), Label: ledger.FormatDate(s.today())}
	q := u.Query()
	names := make([]string, 0, len(q))
	for k := range q {
		if k != "date" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		f.Params = append(f.Params, struct{ Name, Value string }{k, q.Get(k)})
	}
	return f
}
