package baseline

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
)

// Lexicon holds the current Matcher of a lexicon that can be replaced at
// run time. Scans load the Matcher once and keep using it, so a reload
// never disturbs a scan in flight; the old Matcher is garbage collected
// when the last scan using it returns. The zero value holds no Matcher.
type Lexicon struct {
	p atomic.Pointer[Matcher]
}

// NewLexicon returns a Lexicon holding m.
func NewLexicon(m *Matcher) *Lexicon {
	l := &Lexicon{}
	l.p.Store(m)
	return l
}

// Load returns the current Matcher (nil if none was stored).
func (l *Lexicon) Load() *Matcher { return l.p.Load() }

// Store replaces the current Matcher.
func (l *Lexicon) Store(m *Matcher) { l.p.Store(m) }

// Swap replaces the current Matcher and returns the previous one.
func (l *Lexicon) Swap(m *Matcher) *Matcher { return l.p.Swap(m) }

// LoadText reads one pattern per line, as in a plain word list. Blank
// lines and lines starting with # are skipped; surrounding white space is
// trimmed. Every pattern gets the given category; its ID is its line number.
func LoadText(r io.Reader, category string) ([]Pattern, error) {
	var ps []Pattern
	err := eachLine(r, func(n int, line string) error {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			return nil
		}
		ps = append(ps, Pattern{ID: n, Text: line, Category: category})
		return nil
	})
	return ps, err
}

// LoadTSV reads patterns from tab-separated lines with the columns
//
//	text  category  severity  note
//
// of which only text is required; further columns are ignored. Blank
// lines and lines starting with # are skipped. Severity, when present and
// not empty, must be an integer. The ID of a pattern is its line number.
func LoadTSV(r io.Reader) ([]Pattern, error) {
	var ps []Pattern
	err := eachLine(r, func(n int, line string) error {
		if strings.TrimSpace(line) == "" || line[0] == '#' {
			return nil
		}
		f := strings.Split(line, "\t")
		p := Pattern{ID: n, Text: strings.TrimSpace(f[0])}
		if p.Text == "" {
			return fmt.Errorf("line %d: empty pattern text", n)
		}
		if len(f) > 1 {
			p.Category = strings.TrimSpace(f[1])
		}
		if len(f) > 2 && strings.TrimSpace(f[2]) != "" {
			sev, err := strconv.Atoi(strings.TrimSpace(f[2]))
			if err != nil {
				return fmt.Errorf("line %d: severity %q: %w", n, f[2], err)
			}
			p.Severity = sev
		}
		if len(f) > 3 {
			p.Note = strings.TrimSpace(f[3])
		}
		ps = append(ps, p)
		return nil
	})
	return ps, err
}

func eachLine(r io.Reader, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // byte order mark
		}
		if err := fn(n, line); err != nil {
			return fmt.Errorf("textscan: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("textscan: read line %d: %w", n+1, err)
	}
	return nil
}
