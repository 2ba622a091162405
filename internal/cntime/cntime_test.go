package cntime

import (
	"testing"
	"time"
)

func TestDatesAreChinaCivilDates(t *testing.T) {
	// 2023-06-30 17:00 UTC is already 1 July in China.
	utc := time.Date(2023, 6, 30, 17, 0, 0, 0, time.UTC)
	if got := Date(utc); got != "2023-07-01" {
		t.Errorf("Date = %s, want 2023-07-01", got)
	}
	if got := Long(utc); got != "2023年7月1日" {
		t.Errorf("Long = %s, want 2023年7月1日", got)
	}
	if got := LongMinute(utc); got != "2023年7月1日 01:00" {
		t.Errorf("LongMinute = %s", got)
	}
	if got := AddDays("2023-02-27", 2); got != "2023-03-01" {
		t.Errorf("AddDays = %s, want 2023-03-01", got)
	}
	if got := AddDays("坏日期", 2); got != "坏日期" {
		t.Errorf("AddDays(bad) = %s", got)
	}
	d, err := ParseDate("2023-07-01")
	if err != nil || !d.Equal(time.Date(2023, 6, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
}
