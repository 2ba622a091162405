package form

import (
	"net/url"

	"zhendi/internal/org"
)

// ParseDocSettings reads the 公文设置 form (POST /reports/settings): the
// issuing body, 主送机关, 抄送机关 and 印发机关, as typed (validated by
// org.DocSettings.Validate).
func ParseDocSettings(v url.Values) org.DocSettings {
	return org.DocSettings{Issuer: v.Get("issuer"), Recipient: v.Get("recipient"), CC: v.Get("cc"), Printer: v.Get("printer"), Prefix: v.Get("prefix")}
}
