package form

import (
	"net/url"
	"strings"
	"testing"
)

func TestAuditQuery(t *testing.T) {
	q, err := Audit(url.Values{"from": {"2023-01-01"}, "to": {"2023-01-31"}, "actor": {"7"}, "action": {"auth.login"}, "type": {"activity"}, "id": {"3"}})
	if err != nil {
		t.Fatal(err)
	}
	if q.ToT.Sub(q.FromT).Hours() != 31*24 || q.ActorID != 7 || q.Action != "auth.login" || q.ObjectID != 3 {
		t.Fatalf("%+v", q)
	}
	if got := q.Values().Encode(); got != "action=auth.login&actor=7&from=2023-01-01&id=3&to=2023-01-31&type=activity" {
		t.Fatal(got)
	}
	for _, c := range []struct {
		v    url.Values
		want string
	}{
		{url.Values{"from": {"2023-13-01"}}, "开始日期"},
		{url.Values{"to": {"昨天"}}, "结束日期：应为日期"},
		{url.Values{"from": {"2023-02-01"}, "to": {"2023-01-01"}}, "结束日期：不能早于开始日期"},
	} {
		if _, err := Audit(c.v); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.v, err, c.want)
		}
	}
}

func TestBackupForm(t *testing.T) {
	b := Backup(url.Values{"every_hours": {"１２"}, "keep_days": {" 90 "}})
	if b.EveryHours != 12 || b.KeepDays != 90 {
		t.Fatalf("%+v", b)
	}
}
