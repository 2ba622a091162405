package form

import (
	"net/url"

	"zhendi/internal/audit"
)

// Backup reads the backup schedule form (POST /admin/backup).
func Backup(v url.Values) audit.Backup {
	return audit.Backup{EveryHours: Int(v, "every_hours"), KeepDays: Int(v, "keep_days")}
}
