package opinion

import (
	"strings"
	"testing"
	"time"
)

func TestSmokeAPI(t *testing.T) {
	a := SimHash("//@张三:转发微博 宁波妇儿医院一妇女携带婴儿跳楼，抢救无效死亡。http://t.cn/abc [蜡烛]")
	b := SimHash("宁波妇儿医院一妇女携带婴儿跳楼,抢救无效死亡!!")
	if d := Hamming(a, b); d > NearDistance {
		t.Errorf("repost distance %d", d)
	}
	var x NearIndex
	x.Add(7, a)
	if id, _, ok := x.Nearest(b); !ok || id != 7 {
		t.Errorf("Nearest = %d %v", id, ok)
	}
	if s := DefaultLexicon().Score("服务态度非常差，很失望"); !s.Negative {
		t.Errorf("negative not found: %+v", s)
	}
	if s := DefaultLexicon().Score("处置及时，很满意"); s.Negative {
		t.Errorf("positive scored negative: %+v", s)
	}
	set, err := CompileSchemes([]Scheme{{ID: 3, Name: "化工", Rule: "(化工厂 | 化工园区) & (爆炸 | 起火 | 泄漏) & !演练"}})
	if err != nil {
		t.Fatal(err)
	}
	hits := set.Eval(Item{Title: "化工园区发生爆炸", Text: "现场浓烟"})
	if len(hits) != 1 || hits[0].SchemeID != 3 || len(hits[0].Spans) != 2 {
		t.Errorf("hits %+v", hits)
	}
	items, err := ParseJSONL(strings.NewReader(`{"id":"a","text":"x","date":"2012-09-11 11:34:22"}`+"\n"), ParseOptions{})
	if err != nil || len(items) != 1 || items[0].Published.Year() != 2012 {
		t.Errorf("%v %+v", err, items)
	}
	if d := DueTimes(LevelMajor, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); len(d) != 2 {
		t.Error(d)
	}
}
