package form

import (
	"net/url"
	"slices"
	"testing"
)

func TestScalars(t *testing.T) {
	v := url.Values{"n": {" １２ "}, "id": {"7"}, "neg": {"-3"}, "bad": {"x"}, "ids": {"3", "", "x", "5"}, "t": {"  题目 "}, "on": {"1"}}
	if got := Int(v, "n"); got != 12 {
		t.Errorf("Int full-width = %d", got)
	}
	if ID(v, "id") != 7 || ID(v, "neg") != 0 || ID(v, "bad") != 0 || ID(v, "missing") != 0 {
		t.Error("ID")
	}
	if got := IDs(v, "ids"); !slices.Equal(got, []int64{3, 5}) {
		t.Errorf("IDs = %v", got)
	}
	if Text(v, "t") != "题目" || !Bool(v, "on") || Bool(v, "off") {
		t.Error("Text/Bool")
	}
}
