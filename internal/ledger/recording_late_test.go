package ledger

import (
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
)

// A 补记 (recorded 7 days or more after the activity) needs a reason;
// an entry inside the window, or imported history, does not.
func TestCheckLateReason(t *testing.T) {
	now := time.Date(2023, 7, 5, 10, 0, 0, 0, cntime.Zone)
	for _, c := range []struct {
		date, reason string
		history      bool
		want         string
	}{
		{"2023-06-29", "", false, ""},
		{"2023-06-29", "不需要的原因", false, ""},
		{"2023-06-28", "", false, "补记原因：活动日期已过7天（活动后7天及以上登记的记为补记），须写明补记原因"},
		{"2023-06-01", "  ", false, "补记原因：活动日期已过34天"},
		{"2023-06-01", "纸质记录整理后补录", false, ""},
		{"2023-06-01", "历史", true, ""},
		{"2023-06-01", strings.Repeat("长", MaxShort+1), false, "补记原因：不能超过200个字"},
	} {
		a := Activity{Date: c.date, LateReason: c.reason, Import: ImportInfo{History: c.history}}
		err := a.CheckLateReason(now, cntime.Zone, 7)
		if (c.history || c.date == "2023-06-29") && a.LateReason != "" {
			t.Errorf("%s: a reason kept on an entry that is not 补记", c.date)
		}
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %q: %v", c.date, c.reason, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %q: %v, want %q", c.date, c.reason, err, c.want)
		}
	}
}
