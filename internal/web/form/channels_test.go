package form

import (
	"net/url"
	"testing"
)

func TestChannels(t *testing.T) {
	v := url.Values{"unit": {"3"}, "inapp": {"1"}, "email": {"1"}, "smtp_host": {"mail.example.gov.cn"}, "smtp_port": {"２５"},
		"smtp_user": {" zhendi "}, "smtp_pass": {" p w "}, "smtp_from": {"zhendi@example.gov.cn"}, "clear_secret": {"1"},
		"email_11": {"a@example.gov.cn"}, "email_12": {""}}
	ch := Channels(v)
	s := ch.Settings
	if s.UnitID != 3 || !s.InApp || !s.Email || s.SMTPHost != "mail.example.gov.cn" || s.SMTPPort != 25 || s.SMTPUser != "zhendi" ||
		s.SMTPPass != " p w " || s.SMTPFrom != "zhendi@example.gov.cn" {
		t.Errorf("settings = %+v", s)
	}
	if ch.ClearPass || !ch.ClearSecret {
		t.Errorf("clear pass %v, clear secret %v", ch.ClearPass, ch.ClearSecret)
	}
	if len(ch.Emails) != 2 || ch.Emails[11] != "a@example.gov.cn" || ch.Emails[12] != "" {
		t.Errorf("emails = %v", ch.Emails)
	}
}
