// Package baseline is a frozen copy of zhendi/internal/textscan as of
// commit 038777d (before issue 12), kept so that the harness measures
// today's engine against the previous one in the same run. It is not
// maintained: delete it once the comparison has been recorded.
package baseline
