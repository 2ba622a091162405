//go:build race

package textscan

// raceEnabled: sync.Pool drops items at random under the race detector.
const raceEnabled = true
