package service

import (
	"testing"

	"zhendi/internal/infosub"
)

func TestScreenerCacheReusesUntilTermsChange(t *testing.T) {
	var c screenerCache
	terms := []infosub.Term{{Term: "甲乙丙", Category: "禁用词", Severity: 1}}
	a, err := c.get(7, terms)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.get(7, append([]infosub.Term(nil), terms...))
	if a != b {
		t.Fatal("same terms compiled twice")
	}
	changed := []infosub.Term{{Term: "甲乙丙", Category: "禁用词", Severity: 1, Suggest: "丁"}}
	d, _ := c.get(7, changed)
	if d == a {
		t.Fatal("changed terms served the old screener")
	}
	if len(d.Screen("这里有甲乙丙")) == 0 {
		t.Fatal("new screener does not find its term")
	}
	if e, _ := c.get(8, terms); e == a {
		t.Fatal("another unit shares the screener object")
	}
}
