package form

import (
	"net/url"
	"testing"
)

func TestParseDocSettings(t *testing.T) {
	d := ParseDocSettings(url.Values{"issuer": {" 中共某局党组 "}, "recipient": {"中共某区委宣传部"}, "cc": {"区委办公室、区纪委"}, "printer": {"某局办公室"}})
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Issuer != "中共某局党组" || d.Recipient != "中共某区委宣传部" || len(d.CCList()) != 2 || d.Printer != "某局办公室" {
		t.Errorf("parsed %+v", d)
	}
}
