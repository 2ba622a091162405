package form

import (
	"net/url"
	"strings"

	"zhendi/internal/notify"
	"zhendi/internal/service"
)

// Channels reads the reminder channel form (提醒渠道) of the posted unit:
// the settings, whether to clear the stored password and signing secret,
// and an address per person from the fields email_<user id>. Passwords and
// secrets are taken as typed, spaces included.
func Channels(v url.Values) service.Channels {
	ch := service.Channels{
		Settings: notify.Settings{UnitID: ID(v, "unit"), InApp: v.Get("inapp") == "1", Email: v.Get("email") == "1", SMTPHost: v.Get("smtp_host"),
			SMTPPort: Int(v, "smtp_port"), SMTPUser: Text(v, "smtp_user"), SMTPPass: v.Get("smtp_pass"), SMTPFrom: v.Get("smtp_from"),
			WeComURL: v.Get("wecom_url"), DingTalkURL: v.Get("dingtalk_url"), DingTalkSecret: v.Get("dingtalk_secret"),
			WeComApp: v.Get("wecom_app") == "1", DingTalkApp: v.Get("dingtalk_app") == "1"},
		ClearPass:   v.Get("clear_pass") == "1",
		ClearSecret: v.Get("clear_secret") == "1",
		Emails:      map[int64]string{},
	}
	for k, vals := range v {
		if id, ok := strings.CutPrefix(k, "email_"); ok && len(vals) > 0 {
			ch.Emails[ParseID(id)] = vals[0]
		}
	}
	return ch
}
