package textscan

import (
	"strings"
	"sync"
	"testing"
)

func TestLoadText(t *testing.T) {
	ps, err := LoadText(strings.NewReader("\uFEFF# 注释\n化工厂\r\n\n  爆炸  \n"), "安全")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Text != "化工厂" || ps[0].ID != 2 || ps[1].Text != "爆炸" || ps[1].Category != "安全" {
		t.Fatalf("got %+v", ps)
	}
}

func TestLoadTSVErrors(t *testing.T) {
	_, err := LoadTSV(strings.NewReader("甲\t类\t1\n乙\t类\t高\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v, want a line 2 error", err)
	}
	_, err = LoadTSV(strings.NewReader("\t类\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1: empty pattern") {
		t.Fatalf("err = %v", err)
	}
}

// TestLexiconSwap swaps lexicons while other goroutines scan; run with
// -race to check that a reload never disturbs a scan in flight.
func TestLexiconSwap(t *testing.T) {
	a := MustCompile(pats("甲"), Options{})
	b := MustCompile(pats("乙"), Options{})
	lex := &Lexicon{}
	if lex.Load() != nil {
		t.Fatal("zero Lexicon holds a matcher")
	}
	lex.Store(a)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				m := lex.Load()
				n := m.Count("甲乙甲")
				if (m == a && n != 2) || (m == b && n != 1) {
					t.Errorf("count %d from a matcher mid-swap", n)
					return
				}
			}
		}()
	}
	for i := range 200 {
		if i%2 == 0 {
			lex.Swap(b)
		} else {
			lex.Swap(a)
		}
	}
	wg.Wait()
}
