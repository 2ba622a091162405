//go:build !race

package textscan

const raceEnabled = false
