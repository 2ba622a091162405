package opinion_test

import (
	"fmt"
	"strings"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/opinion"
)

// The intake of one item: prepare, key, fold copies, score, match schemes.
func Example() {
	set, err := opinion.CompileSchemes([]opinion.Scheme{
		{ID: 1, Name: "化工安全", Rule: "(化工厂 | 化工园区) & (爆炸 | 起火 | 泄漏) & !演练"},
	})
	if err != nil {
		panic(err)
	}
	var seen opinion.NearIndex
	posts := []string{
		"//@张三: 城东化工园区今晨发生爆炸，现场浓烟滚滚，附近居民紧急疏散 http://t.cn/abc",
		"转发微博：城东化工园区今晨发生爆炸，现场浓烟滚滚，附近居民紧急疏散！！",
		"城东化工园区今晨组织消防应急演练，居民不必惊慌",
	}
	for i, text := range posts {
		it := opinion.Prepare(opinion.Item{ID: int64(i + 1), Text: text})
		_, h := opinion.Fingerprint(it.Title, it.Text)
		if id, d, ok := seen.Nearest(h); ok {
			fmt.Printf("%d: copy of %d (distance %d)\n", it.ID, id, d)
			continue
		}
		seen.Add(it.ID, h)
		s := opinion.DefaultLexicon().Score(it.Text)
		fmt.Printf("%d: %s… negative %v %v\n", it.ID, it.Text[:strings.IndexRune(it.Text, '城')], s.Negative, s.Terms)
		for _, hit := range set.Eval(it) {
			var marked []string
			for _, sp := range hit.Spans {
				marked = append(marked, it.Text[sp.Start:sp.End])
			}
			fmt.Printf("   scheme %d: %v\n", hit.SchemeID, marked)
		}
	}
	// Output:
	// 1: //@某用户: … negative true [爆炸]
	//    scheme 1: [化工园区 爆炸]
	// 2: copy of 1 (distance 0)
	// 3: … negative false []
}

func ExampleDueTimes() {
	found := time.Date(2026, 7, 30, 22, 15, 0, 0, cntime.Zone)
	for _, d := range opinion.DueTimes(opinion.LevelMajor, found) {
		fmt.Println(d.What, cntime.DateTime(d.At))
	}
	// Output:
	// 发布权威信息 2026-07-31 03:15:00
	// 举行新闻发布会 2026-07-31 22:15:00
}
