package form

import (
	"net/url"
	"testing"
)

func TestParseReportEdit(t *testing.T) {
	v := url.Values{
		"action": {"refresh"}, "v": {"３"}, "note": {"  改了开头 "}, "title": {" 总结 "},
		"b0": {"第一段", "ignored"}, "b2": {""}, "b01": {"not a block"}, "b-1": {"x"}, "bx": {"x"},
		"w0": {"1"}, "w2": {"0"}, "kind": {"half-year"},
	}
	e := ParseReportEdit(v)
	if !e.Refresh || e.Version != 3 || e.Note != "改了开头" || e.Edit.Title != "总结" {
		t.Errorf("scalars: %+v", e)
	}
	if len(e.Edit.Texts) != 2 || e.Edit.Texts[0] != "第一段" || e.Edit.Texts[2] != "" {
		t.Errorf("texts: %#v", e.Edit.Texts)
	}
	if _, ok := e.Edit.Texts[1]; ok {
		t.Error("b01 read as block 1")
	}
	if !e.Edit.Own[0] || e.Edit.Own[2] || len(e.Edit.Own) != 1 {
		t.Errorf("own wording: %v", e.Edit.Own)
	}
	if ParseReportEdit(url.Values{"action": {"save"}}).Refresh {
		t.Error("save taken for refresh")
	}
}

func TestParseReportRequest(t *testing.T) {
	q := ParseReportRequest(url.Values{"kind": {"shuzhi"}, "period": {"2023"}, "unit": {"5"}, "subject": {"x"}})
	if q != (ReportRequest{Kind: "shuzhi", Period: "2023", Unit: 5}) {
		t.Errorf("%+v", q)
	}
}
