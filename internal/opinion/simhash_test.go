package opinion

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ＡＢＣ１２３，你好！", "abc123你好"},
		{"//@张三_ok:转发微博 //@李四: 真的吗？http://t.cn/RzXy12 [哈哈]", "真的吗"},
		{"#宁波跳楼#  事件 www.example.com/a?b=1 后续", "宁波跳楼事件后续"},
		{"哈哈哈哈哈哈哈", "哈哈"},
		{"电话 110110 不折叠数字", "电话110110不折叠数字"},
		{"写信到 a@b.com 查询", "写信到abcom查询"}, // an address is not a handle: its letters stay
		{"[这不是表情因为太长了吧]内容", "这不是表情因为太长了吧内容"},
		{"", ""},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRedactHandles(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"//@张三:同意 //@李四_2: 转发", "//@某用户:同意 //@某用户: 转发"},
		{"回复＠王五：好的", "回复@某用户：好的"},
		{"邮箱 a@b.com 不变", "邮箱 a@b.com 不变"},
		{"没有提到任何人", "没有提到任何人"},
		{"@ 空格不是账号", "@ 空格不是账号"},
	} {
		if got := RedactHandles(c.in); got != c.want {
			t.Errorf("RedactHandles(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExactKey(t *testing.T) {
	a := ExactKey("", "宁波妇儿医院一妇女携带婴儿跳楼。http://t.cn/abc")
	b := ExactKey("", "//@某用户: 宁波妇儿医院 一妇女携带婴儿跳楼!!")
	if a == "" || a != b || len(a) != 64 {
		t.Errorf("copies differ: %q %q", a, b)
	}
	if ExactKey("标题", "正文") == ExactKey("标题正", "文") {
		t.Error("title and text boundary lost")
	}
	if ExactKey("", "😀😀 http://t.cn/x") != "" {
		t.Error("content-free text must have no key")
	}
}

// Near-duplicates built by hand: the edits reposts make.
func TestSimHashNearAndFar(t *testing.T) {
	base := "据现场网友称，该妇女因小孩病重，加上负担不起昂贵的医疗费，带着刚满月的宝宝从12楼跳楼身亡，有关部门正在调查具体情况。"
	near := []string{
		base,
		"转发微博 //@某人: " + base + " http://t.cn/Rabc",
		"【" + base + "】",
		base + "太惨了",
		"唉，" + base,
		"據現場網友稱" + base[len("据现场网友称"):], // a traditional phrase at the start
	}
	far := []string{
		"今天天气很好，我们一起去公园散步，看到很多人在跳广场舞，非常热闹。",
		"市政府召开新闻发布会，通报第三季度经济运行情况，地区生产总值同比增长。",
		"据现场网友称，该男子因欠薪，爬上塔吊讨要工资，消防部门正在现场救援。",
	}
	h := SimHash(base)
	for _, s := range near {
		if d := Hamming(h, SimHash(s)); d > NearDistance {
			t.Errorf("near copy at distance %d: %s", d, s)
		}
	}
	for _, s := range far {
		if d := Hamming(h, SimHash(s)); d <= NearDistance {
			t.Errorf("different text at distance %d: %s", d, s)
		}
	}
	if SimHash("") != 0 || SimHash("，。！") != 0 {
		t.Error("empty text must hash to 0")
	}
	if SimHash("原来这样") != 0 || SimHash("一二三四五六七八九") != 0 || SimHash("一二三四五六七八九十") == 0 {
		t.Error("texts shorter than MinNearRunes must have no fingerprint, longer ones one")
	}
}

func TestSimHashStable(t *testing.T) {
	// Fingerprints are stored; a change of hashing breaks every stored
	// group, so it must be deliberate.
	if got := SimHash("宁波妇儿医院一妇女携带婴儿跳楼"); got != 0xc81b245e367792b4 {
		t.Errorf("SimHash changed: %#x", got)
	}
}

// TestProbesCoverNearDistance is the pigeonhole argument, checked: every
// fingerprint within 7 bits of h is found by some band probe.
func TestProbesCoverNearDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		h := rng.Uint64()
		g := h
		for range rng.IntN(8) {
			g ^= 1 << rng.IntN(64)
		}
		found := false
		pr := Probes(h)
		for i, b := range Bands(g) {
			if slices.Contains(pr[i][:], b) {
				found = true
			}
		}
		if !found {
			t.Fatalf("%#x and %#x (distance %d) share no probe", h, g, Hamming(h, g))
		}
	}
}

// TestNearIndexMatchesBruteForce compares Nearest with a scan of all
// entries on fingerprints placed near each other on purpose.
func TestNearIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x NearIndex
	var hs []uint64
	for i := range 5000 {
		h := rng.Uint64()
		if i > 0 && rng.IntN(2) == 0 {
			h = hs[rng.IntN(len(hs))]
			for range rng.IntN(10) {
				h ^= 1 << rng.IntN(64)
			}
		}
		hs = append(hs, h)
		x.Add(int64(i+100), h)
	}
	for range 3000 {
		q := hs[rng.IntN(len(hs))]
		for range rng.IntN(9) {
			q ^= 1 << rng.IntN(64)
		}
		wantID, wantD, wantOK := int64(0), NearDistance+1, false
		for i, h := range hs {
			if d := bits.OnesCount64(h ^ q); d < wantD {
				wantID, wantD, wantOK = int64(i+100), d, true
			}
		}
		id, d, ok := x.Nearest(q)
		if ok != wantOK || ok && (id != wantID || d != wantD) {
			t.Fatalf("Nearest(%#x) = %d, %d, %v; brute force %d, %d, %v", q, id, d, ok, wantID, wantD, wantOK)
		}
	}
	var empty NearIndex
	if _, _, ok := empty.Nearest(1); ok {
		t.Error("empty index found something")
	}
	empty.Add(1, 0)
	empty.Add(2, 1)
	if _, _, ok := empty.Nearest(0); ok || empty.Len() != 1 {
		t.Error("fingerprint 0 (none) was indexed or found")
	}
}

// BenchmarkNearestMillion: lookups in an index of one million
// fingerprints, a quarter of the queries near an entry. The goal
// is under 1 ms at the 95th percentile; the p95 is reported as a metric.
func BenchmarkNearestMillion(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	var x NearIndex
	hs := make([]uint64, 1_000_000)
	for i := range hs {
		hs[i] = rng.Uint64()
		x.Add(int64(i), hs[i])
	}
	queries := make([]uint64, 4096)
	for i := range queries {
		q := rng.Uint64()
		if i%4 == 0 {
			q = hs[rng.IntN(len(hs))] ^ 1<<rng.IntN(64) ^ 1<<rng.IntN(64)
		}
		queries[i] = q
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		x.Nearest(queries[i%len(queries)])
	}
	b.StopTimer()
	b.ReportMetric(p95(func(q uint64) { x.Nearest(q) }, queries), "p95-ns")
}

func BenchmarkSimHash(b *testing.B) {
	text := "据现场网友称，该妇女因小孩病重，加上负担不起昂贵的医疗费，带着刚满月的宝宝从12楼跳楼身亡，有关部门正在调查具体情况。"
	SimHash(text) // builds the traditional-character table once
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		SimHash(text)
	}
}

func TestNormalizeFoldsTraditional(t *testing.T) {
	if a, b := Normalize("據現場網友稱，醫院發生爆炸"), Normalize("据现场网友称医院发生爆炸"); a != b {
		t.Errorf("traditional %q != simplified %q", a, b)
	}
	if Normalize("頭髮") != Normalize("头发") {
		t.Error("髮 and 发 differ")
	}
}

func TestFingerprint(t *testing.T) {
	for _, c := range [][2]string{{"", "宁波妇儿医院一妇女携带婴儿跳楼，抢救无效"}, {"化工园区突发爆炸事故", "现场浓烟滚滚"}, {"短", ""}} {
		k, h := Fingerprint(c[0], c[1])
		if k != ExactKey(c[0], c[1]) || h != SimHash(c[0]+"\n"+c[1]) {
			t.Errorf("Fingerprint(%q, %q) = %s, %#x; want %s, %#x", c[0], c[1], k, h, ExactKey(c[0], c[1]), SimHash(c[0]+"\n"+c[1]))
		}
	}
}

func TestNear(t *testing.T) {
	const h = 0xff
	if Near(0, 0) || Near(0, 1) || !Near(h, h^0x7f) || Near(h, 0xff00) {
		t.Error("Near wrong") // 0 is none; 7 bits apart is near; 16 is not
	}
}

// simHashNaive is SimHash's vote written the plain way, to check the
// bit-sliced count on texts of more than 255 shingles.
func simHashNaive(n string) uint64 {
	rs := []rune(n)
	if len(rs) < MinNearRunes {
		return 0
	}
	seen := map[uint64]bool{}
	var votes [64]int
	for i := 0; i+Shingle <= len(rs); i++ {
		x := mix64(fnv64(string(rs[i : i+Shingle])))
		if seen[x] {
			continue
		}
		seen[x] = true
		for b := range 64 {
			votes[b] += int(x>>b&1)*2 - 1
		}
	}
	var h uint64
	for b, v := range votes {
		if v > 0 {
			h |= 1 << b
		}
	}
	return h
}

func TestSimHashMatchesNaiveVote(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 300 {
		var rs []rune
		for range 10 + rng.IntN(1500) {
			rs = append(rs, rune(0x4E00+rng.IntN(300)))
		}
		n := string(rs)
		if got, want := simHashNormalized(n), simHashNaive(n); got != want {
			t.Fatalf("%d characters: %#x, naive %#x", len(rs), got, want)
		}
	}
}
