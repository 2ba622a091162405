package channel

import (
	"testing"
	"time"

	"zhendi/internal/cntime"
)

func TestSampleFailedAt15s(t *testing.T) {
	for _, tc := range []struct {
		s    Sample
		fail bool
	}{
		{Sample{OK: true, Millis: 14999, Status: 200}, false},
		{Sample{OK: true, Millis: 15000, Status: 200}, true}, // 超过（含）15秒
		{Sample{OK: false, Millis: 30, Status: 503}, true},
		{Sample{OK: false, Millis: 15000}, true},
	} {
		if tc.s.Failed() != tc.fail {
			t.Errorf("%+v: failed %v", tc.s, tc.s.Failed())
		}
	}
}

func TestSamplesRoundTrip(t *testing.T) {
	start, d := DayStart(time.Date(2024, 3, 27, 23, 59, 0, 0, cntime.Zone))
	if d != "2024-03-27" {
		t.Fatalf("day %s", d)
	}
	in := []Sample{
		{At: start, Millis: 0, Status: 200, OK: true},
		{At: start + 3601*2, Millis: 15000, Status: 200, OK: true},
		{At: start + 86398, Millis: 65535, Status: 0},
		{At: start + 40000, Millis: 120, Status: 503},
	}
	enc := ""
	for _, s := range in {
		e := EncodeSample(s, start)
		if len(e) != sampleLen {
			t.Fatalf("sample encoded in %d characters", len(e))
		}
		enc += e
	}
	out, err := DecodeSamples(d, enc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("sample %d: %+v, want %+v", i, out[i], in[i])
		}
	}
	// Millis beyond 65535 are capped, still failed.
	big, _ := DecodeSamples(d, EncodeSample(Sample{At: start, Millis: 90000, OK: true, Status: 200}, start))
	if !big[0].Failed() {
		t.Errorf("capped millis must stay failed: %+v", big[0])
	}
	if _, err := DecodeSamples(d, enc[:7]); err == nil {
		t.Error("a cut sample must not decode")
	}
}

// NextProbe visits each site once a slot, 24 a day, spread over the day,
// never two visits of a site within 10 minutes, whatever the jitter.
func TestNextProbeSpread(t *testing.T) {
	for _, id := range []int64{1, 2, 3, 77, 1 << 40} {
		for _, jit := range []time.Duration{-time.Hour, -5 * time.Minute, 0, 5 * time.Minute, time.Hour} {
			at := time.Date(2024, 3, 27, 0, 0, 0, 0, cntime.Zone)
			perDay := map[string]int{}
			prev := NextProbe(id, at, jit)
			for i := 0; i < 24*3; i++ {
				next := NextProbe(id, prev, jit)
				if next.Sub(prev) < 10*time.Minute || next.Sub(prev) > 2*time.Hour-10*time.Minute {
					t.Fatalf("id %d jitter %v: %v after %v", id, jit, next, prev)
				}
				perDay[cntime.Date(next)]++
				prev = next
			}
			for _, d := range []string{"2024-03-28", "2024-03-29"} {
				if perDay[d] != ProbesPerDay {
					t.Errorf("id %d jitter %v: %d visits on %s", id, jit, perDay[d], d)
				}
			}
		}
	}
	// Sites of consecutive ids do not visit at the same minute.
	seen := map[int64]bool{}
	at := time.Date(2024, 3, 27, 8, 0, 0, 0, cntime.Zone)
	for id := int64(1); id <= 10; id++ {
		m := NextProbe(id, at, 0).Unix() / 60
		if seen[m] {
			t.Errorf("site %d visits at the same minute as another", id)
		}
		seen[m] = true
	}
}

func TestJudgeAvailabilityWindow(t *testing.T) {
	a := JudgeAvailability(nil, "2024-03-01")
	if a.From != "2024-02-23" || a.To != "2024-02-29" || len(a.Days) != 7 || a.Short != 140 || a.Judged() {
		t.Errorf("window %+v", a)
	}
	if JudgeAvailability(nil, "bad").Days != nil {
		t.Error("a bad day must give nothing")
	}
}
