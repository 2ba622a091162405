package audit

import (
	"fmt"

	"zhendi/internal/apperr"
)

// RetentionDays is how long audit entries are kept at least: 等保 2.0
// (GB/T 22239-2019, 安全审计) asks for six months. zhendi deletes no audit
// entry at all, so the log is kept for good; this is the figure the
// settings page states as the floor.
const RetentionDays = 180

// Backup is the schedule of automatic backups (installation-wide
// settings): a backup every EveryHours hours (0: no automatic backups),
// automatic backups older than KeepDays days removed (the newest is always
// kept; backups made by hand are never removed).
type Backup struct {
	EveryHours int
	KeepDays   int
}

// DefaultBackup: daily, kept 30 days.
var DefaultBackup = Backup{EveryHours: 24, KeepDays: 30}

// Validate checks the schedule; errors name the field.
func (b Backup) Validate() error {
	var errs apperr.Errors
	if b.EveryHours < 0 || b.EveryHours > 24*7 {
		errs = append(errs, apperr.Field("备份间隔", fmt.Sprintf("应在 0 到 %d 小时之间（0 表示不自动备份）", 24*7)))
	}
	if b.KeepDays < 1 || b.KeepDays > 3650 {
		errs = append(errs, apperr.Field("备份保留天数", "应在 1 到 3650 天之间"))
	}
	return errs.OrNil()
}
