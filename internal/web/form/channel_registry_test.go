package form

import (
	"net/url"
	"testing"

	"zhendi/internal/channel"
)

func TestChannelEntry(t *testing.T) {
	v := url.Values{"kind": {"column"}, "class": {"news"}, "name": {" 工作动态 "}, "url": {"https://a.gov.cn/gzdt/"}, "responsible_id": {"7"},
		"filing_date": {"２０２４-０１-０２"}, "method": {"listing"}, "date_rule": {"start: <ul>\n"}}
	c := ChannelEntry(v)
	if c.Kind != channel.Column || c.Class != channel.ClassNews || c.Name != "工作动态" || c.ResponsibleID != 7 || c.FilingDate != "2024-01-02" || c.DateRule != "start: <ul>\n" {
		t.Fatalf("%+v", c)
	}
	if r := ChannelRule(url.Values{"kind": {"portal"}, "limit": {"6"}, "per": {"month"}, "valid_from": {"2024-01-01"}}); r.Months != 6 || r.Days != 0 {
		t.Fatalf("rule %+v", r)
	}
	if r := ChannelRule(url.Values{"kind": {"portal"}, "limit": {"10"}, "per": {"day"}}); r.Days != 10 {
		t.Fatalf("rule %+v", r)
	}
	f := ChannelFiling(url.Values{"change_no": {"备〔2024〕1号"}, "change_date": {"2024-02-01"}})
	if f.No != "备〔2024〕1号" || f.Date != "2024-02-01" {
		t.Fatalf("filing %+v", f)
	}
}
