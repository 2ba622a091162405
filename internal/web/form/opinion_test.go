package form

import (
	"net/url"
	"testing"
	"time"

	"zhendi/internal/cntime"
)

func TestOpinionSource(t *testing.T) {
	o := OpinionSource(url.Values{"kind": {"feed"}, "name": {" 区新闻网 "}, "url": {" https://x.cn/rss "}, "interval_min": {"１５"}, "weight": {"1.5"}, "enabled": {"1"}})
	if o.Kind != "feed" || o.Name != "区新闻网" || o.URL != "https://x.cn/rss" || o.IntervalSec != 900 || o.Weight != 1.5 || !o.Enabled {
		t.Errorf("%+v", o)
	}
	if o := OpinionSource(url.Values{"weight": {"很高"}}); o.Weight != 0 || o.Enabled {
		t.Errorf("bad weight kept as %v", o.Weight)
	}
	if o := OpinionSource(url.Values{}); o.Weight != 1 {
		t.Errorf("default weight %v", o.Weight)
	}
}

func TestOpinionScheme(t *testing.T) {
	c := OpinionScheme(url.Values{"name": {"化工"}, "rule": {" 化工 & 爆炸 \n"}, "scope": {"title"}, "sources": {"3", "x", "5"},
		"from": {"2023-06-01"}, "until": {"2023-06-30"}, "enabled": {"on"}})
	from := time.Date(2023, 6, 1, 0, 0, 0, 0, cntime.Zone).Unix()
	until := time.Date(2023, 7, 1, 0, 0, 0, 0, cntime.Zone).Unix()
	if c.Name != "化工" || c.Rule != "化工 & 爆炸" || c.Scope != "title" || len(c.SourceIDs) != 2 || c.ActiveFrom != from || c.ActiveUntil != until || !c.Enabled {
		t.Errorf("%+v", c)
	}
	if c := OpinionScheme(url.Values{"scope": {"author"}, "from": {"六月"}}); c.Scope != "all" || c.ActiveFrom != 0 {
		t.Errorf("unknown scope or date: %+v", c)
	}
}

func TestOpinionItemFilter(t *testing.T) {
	f := OpinionItemFilter(url.Values{"q": {" 起火 "}, "page": {"3"}, "source": {"7"}, "all": {"1"}, "to": {"2023-06-30"}, "negative": {"1"}}, 9)
	if f.UnitID != 9 || f.Query != "起火" || f.Offset != 100 || f.SourceID != 7 || f.Grouped || f.To != time.Date(2023, 7, 1, 0, 0, 0, 0, cntime.Zone).Unix() || f.MinNegativity == 0 {
		t.Errorf("%+v", f)
	}
	if f := OpinionItemFilter(url.Values{}, 9); !f.Grouped || f.Offset != 0 {
		t.Errorf("defaults: %+v", f)
	}
}
