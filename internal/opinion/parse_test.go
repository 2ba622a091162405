package opinion

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

func TestParseJSONL(t *testing.T) {
	in := "\ufeff" + `{"id":"wb1","text":"宁波一医院发生事件 //@张三:转发","kind":"post","user":"某人","date":"2012-09-11 11:34:22"}
{"id":2,"title":"标题","content":"正文","link":"https://example.cn/a","published":"2015-03-23T19:24:00+08:00"}

{"ext_id":"x3","text":"无日期","date":null}
{"id":"x4","text":"Unix 秒","time":1420070400}
{"id":"x5","text":"Unix 毫秒","time":1420070400000}
{"id":"x6","text":"年月日","pubdate":"2015年3月23日 19:24"}
`
	items, err := ParseJSONL(strings.NewReader(in), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 6 {
		t.Fatalf("%d items", len(items))
	}
	first := items[0]
	if first.ExtID != "wb1" || first.Text != "宁波一医院发生事件 //@某用户:转发" || cntime.DateTime(first.Published) != "2012-09-11 11:34:22" {
		t.Errorf("first item %+v", first)
	}
	if items[1].ExtID != "2" || items[1].Title != "标题" || items[1].Text != "正文" || items[1].URL != "https://example.cn/a" {
		t.Errorf("aliases: %+v", items[1])
	}
	if items[2].ExtID != "x3" || !items[2].Published.IsZero() {
		t.Errorf("null date: %+v", items[2])
	}
	if !items[3].Published.Equal(time.Unix(1420070400, 0)) || !items[4].Published.Equal(items[3].Published) {
		t.Errorf("unix times: %v %v", items[3].Published, items[4].Published)
	}
	if cntime.DateTime(items[5].Published) != "2015-03-23 19:24:00" {
		t.Errorf("年月日: %v", items[5].Published)
	}
}

func TestParseJSONArray(t *testing.T) {
	items, err := ParseJSONL(strings.NewReader("\ufeff  \n[{\"id\":\"a\",\"title\":\"t\"},\n {\"id\":2,\"text\":\"x\",\"date\":\"2026-01-02\"}]\n"), ParseOptions{})
	if err != nil || len(items) != 2 || items[0].Title != "t" || items[1].ExtID != "2" || cntime.Date(items[1].Published) != "2026-01-02" {
		t.Fatalf("%+v, %v", items, err)
	}
	_, err = ParseJSONL(strings.NewReader(`[{"id":"a","text":"x"},{"id":"a","text":"y"},{"text":""}]`), ParseOptions{})
	want := "第 2 条：编号：“a”与第 1 条重复；第 3 条：正文：标题和正文不能都为空"
	if got := apperr.Message(err); got != want {
		t.Errorf("array errors %q, want %q", got, want)
	}
	if _, err := ParseJSONL(strings.NewReader(`[{"id":"a","text":"x"}, oops]`), ParseOptions{}); apperr.Message(err) != "第 2 条：格式：不是有效的 JSON" {
		t.Errorf("broken array: %v", err)
	}
	if _, err := ParseJSONL(strings.NewReader(`[]`), ParseOptions{}); apperr.Message(err) != "文件：没有可导入的条目" {
		t.Errorf("empty array: %v", err)
	}
}

func TestParseJSONLRowErrors(t *testing.T) {
	in := `{"id":"a","text":"好的"}
{"id":"b","text":""}
{"id":"c","text":"x","url":"ftp://x"}
not json
{"id":"a","text":"重复"}
{"id":"d","text":"x","date":"03月23日 19:24"}
{"id":"e","text":"x","date":"昨天"}
{"id":{"x":1},"text":"x"}
{"id":"f","text":5}
`
	_, err := ParseJSONL(strings.NewReader(in), ParseOptions{})
	want := []string{
		"第 2 行：正文：标题和正文不能都为空",
		"第 3 行：链接：应为 http:// 或 https:// 开头的网址",
		"第 4 行：格式：不是有效的 JSON（第 2 个字节附近）",
		"第 5 行：编号：“a”与第 1 行重复",
		"第 6 行：发布时间：“03月23日 19:24”缺少年份，请写成 2015-03-23 19:24 的形式",
		"第 7 行：发布时间：“昨天”不是可识别的日期时间，请写成 2015-03-23 19:24 的形式",
		"第 8 行：编号：应为文本或数字",
		"第 9 行：正文：应为文本",
	}
	msgs, ok := apperr.User(err)
	if !ok || strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	// A year-less date is resolved against the export time when given.
	ref := time.Date(2015, 6, 1, 0, 0, 0, 0, cntime.Zone)
	items, err := ParseJSONL(strings.NewReader(`{"id":"d","text":"x","date":"03月23日 19:24"}`+"\n"+`{"id":"e","text":"x","date":"12月30日 08:00"}`), ParseOptions{Ref: ref})
	if err != nil {
		t.Fatal(err)
	}
	if cntime.DateTime(items[0].Published) != "2015-03-23 19:24:00" || cntime.DateTime(items[1].Published) != "2014-12-30 08:00:00" {
		t.Errorf("year-less dates: %v, %v", items[0].Published, items[1].Published)
	}
}

func TestParseJSONLLimits(t *testing.T) {
	var b strings.Builder
	for i := range 4 {
		fmt.Fprintf(&b, `{"id":"%d","text":"x"}`+"\n", i)
	}
	if _, err := ParseJSONL(strings.NewReader(b.String()), ParseOptions{MaxRows: 3}); apperr.Message(err) != "文件：不能超过 3 行" {
		t.Errorf("row cap: %v", err)
	}
	long := `{"id":"1","text":"` + strings.Repeat("长", 2<<20) + `"}` + "\n" + `{"id":"2","text":"ok"}`
	_, err := ParseJSONL(strings.NewReader(long), ParseOptions{})
	if msg := apperr.Message(err); msg != "第 1 行：整行：超过 4 MB" {
		t.Errorf("long line: %q", msg)
	}
	if _, err := ParseJSONL(strings.NewReader("\n\n"), ParseOptions{}); apperr.Message(err) != "文件：没有可导入的条目" {
		t.Errorf("empty: %v", err)
	}
	// Fifty errors are listed, then a note.
	b.Reset()
	for range 80 {
		b.WriteString("{}\n")
	}
	msgs, _ := apperr.User(func() error { _, err := ParseJSONL(strings.NewReader(b.String()), ParseOptions{}); return err }())
	if len(msgs) != 51 || !strings.Contains(msgs[50], "错误过多") {
		t.Errorf("%d messages, last %q", len(msgs), msgs[len(msgs)-1])
	}
}

func TestParseCSV(t *testing.T) {
	src := "编号,标题,正文,链接,发布时间,作者\n" +
		"1,化工园区起火,\"现场浓烟，\n消防已到场\",https://news.example.cn/1,2026/3/1 8:30,某人\n" +
		"2,,仅正文,,2026-03-01,\n" +
		",,,,,\n"
	check := func(name string, data []byte) {
		t.Helper()
		items, err := ParseCSV(bytes.NewReader(data), ParseOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(items) != 2 || items[0].Title != "化工园区起火" || items[0].Text != "现场浓烟，\n消防已到场" ||
			items[0].URL != "https://news.example.cn/1" || cntime.DateTime(items[0].Published) != "2026-03-01 08:30:00" ||
			items[1].ExtID != "2" || items[1].Text != "仅正文" {
			t.Errorf("%s: %+v", name, items)
		}
	}
	check("utf-8", []byte(src))
	check("utf-8 with BOM", append([]byte("\ufeff"), src...))
	gbk, _, err := transform.Bytes(simplifiedchinese.GBK.NewEncoder(), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	check("GBK", gbk)
	u16, _, err := transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), []byte(strings.ReplaceAll(src, ",", "\t")))
	if err != nil {
		t.Fatal(err)
	}
	check("UTF-16 tab-separated", u16)
	check("English header", []byte(strings.Replace(src, "编号,标题,正文,链接,发布时间,作者", "id,Title,content,URL,date,author", 1)))
}

func TestParseCSVRowErrors(t *testing.T) {
	src := "标题,正文,发布时间,编号\n" +
		"好,正常,2026-03-01,a\n" +
		",,2026-03-01,b\n" +
		"\"多行\n标题\",x,明天,c\n" +
		"x,y,,a\n"
	_, err := ParseCSV(strings.NewReader(src), ParseOptions{})
	want := []string{
		"第 3 行：正文：标题和正文不能都为空",
		"第 4 行：发布时间：“明天”不是可识别的日期时间，请写成 2015-03-23 19:24 的形式",
		"第 6 行：编号：“a”与第 2 行重复",
	}
	msgs, _ := apperr.User(err)
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range []struct{ in, want string }{
		{"", "文件：是空的"},
		{"作者,链接\n某人,https://x.cn\n", "第 1 行：表头应包含“标题”或“正文”列（也可写 title、text）"},
		{"正文\n\n", "文件：没有可导入的条目"},
	} {
		if _, err := ParseCSV(strings.NewReader(c.in), ParseOptions{}); apperr.Message(err) != c.want {
			t.Errorf("ParseCSV(%q) = %v, want %q", c.in, err, c.want)
		}
	}
}

func TestParseTimeForms(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-01 08:30:00":             "2026-03-01 08:30:00",
		"2026-03-01 08:30":                "2026-03-01 08:30:00",
		"2026-3-1 8:30":                   "2026-03-01 08:30:00",
		"2026/3/1 8:30":                   "2026-03-01 08:30:00",
		"2026/03/01":                      "2026-03-01 00:00:00",
		"2026.03.01":                      "2026-03-01 00:00:00",
		"20260301":                        "2026-03-01 00:00:00",
		"2026年3月1日 08:30":                 "2026-03-01 08:30:00",
		"2026-03-01T00:30:00Z":            "2026-03-01 08:30:00", // UTC, shown in China time
		"Sun, 01 Mar 2026 08:30:00 +0800": "2026-03-01 08:30:00",
	} {
		got, err := ParseTime(in, time.Time{})
		if err != nil || cntime.DateTime(got) != want {
			t.Errorf("ParseTime(%q) = %s, %v; want %s", in, cntime.DateTime(got), err, want)
		}
	}
}

func TestParseByName(t *testing.T) {
	for name, data := range map[string]string{"a.JSONL": `{"text":"x"}`, "b.csv": "正文\nx\n", "c.tsv": "正文\tid\nx\t1\n"} {
		if items, err := Parse(name, strings.NewReader(data), ParseOptions{}); err != nil || len(items) != 1 || items[0].Text != "x" {
			t.Errorf("Parse(%s) = %+v, %v", name, items, err)
		}
	}
	if _, err := Parse("a.xlsx", strings.NewReader(""), ParseOptions{}); apperr.Message(err) != "文件：只能导入 .jsonl 或 .csv 文件" {
		t.Errorf("xlsx: %v", err)
	}
}

func TestPrepare(t *testing.T) {
	it := Prepare(Item{ExtID: " 7 ", Title: " 回复@张三：标题 ", Text: "\n//@李四: 正文 ", URL: " https://x.cn/a "})
	if it.ExtID != "7" || it.Title != "回复@某用户：标题" || it.Text != "//@某用户: 正文" || it.URL != "https://x.cn/a" {
		t.Errorf("Prepare = %+v", it)
	}
}

func TestItemValidate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := Item{Title: "t", URL: "https://example.cn/x", Published: now, Fetched: now}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		it   Item
		want string
	}{
		{Item{}, "正文：标题和正文不能都为空"},
		{Item{Text: "x", URL: "javascript:alert(1)"}, "链接：应为 http:// 或 https:// 开头的网址"},
		{Item{Title: strings.Repeat("长", 501)}, "标题：不能超过 500 个字"},
		{Item{Text: "x", ExtID: strings.Repeat("a", 201)}, "编号：不能超过 200 个字节"},
		{Item{Text: "x", Published: now.Add(25 * time.Hour), Fetched: now}, "发布时间：晚于接收时间"},
		{Item{Text: "\xff"}, "正文：含有无效的字符编码，请使用 UTF-8 或 GB18030"},
	} {
		if got := apperr.Message(c.it.Validate()); got != c.want {
			t.Errorf("Validate = %q, want %q", got, c.want)
		}
	}
}

// The parsers take files from users: whatever the bytes, they return
// items that validate or a user error, and never panic.
func FuzzParseJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"好","date":"2012-09-11 11:34:22"}` + "\n"))
	f.Add([]byte("\ufeff{\"id\":1,\"title\":\"t\",\"url\":\"http://x\"}\n{}\n"))
	f.Add([]byte(`{"id":"d","text":"x","date":"03月23日 19:24","time":1e300}`))
	f.Add([]byte(`[{"id":"a","text":"x"},{"id":2,"title":"t"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ParseJSONL(bytes.NewReader(data), ParseOptions{MaxRows: 100, Ref: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		checkParsed(t, items, err)
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("标题,正文\n好,坏\n"))
	f.Add([]byte("\ufeffid\ttext\tdate\n1\t\"a\nb\"\t2026/1/2\n"))
	f.Add([]byte("\xff\xfet\x00e\x00x\x00t\x00\n\x00a\x00"))
	f.Add([]byte("\xb1\xea\xcc\xe2,\xd5\xfd\xce\xc4\n\xc4\xe3,\xba\xc3\n")) // GBK 标题,正文 / 你,好
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ParseCSV(bytes.NewReader(data), ParseOptions{MaxRows: 100})
		checkParsed(t, items, err)
	})
}

func checkParsed(t *testing.T, items []Item, err error) {
	t.Helper()
	if err != nil {
		if !apperr.IsUser(err) {
			t.Fatalf("not a user error: %v", err)
		}
		if items != nil {
			t.Fatal("items returned with an error")
		}
		return
	}
	if len(items) == 0 {
		t.Fatal("no items and no error")
	}
	for _, it := range items {
		if err := it.Validate(); err != nil {
			t.Fatalf("invalid item returned: %v", err)
		}
	}
}

// spaces is an endless file of blank lines of 4,000 spaces.
type spaces struct{ col int }

func (s *spaces) Read(p []byte) (int, error) {
	for i := range p {
		if s.col == 4000 {
			p[i], s.col = '\n', 0
		} else {
			p[i] = ' '
			s.col++
		}
	}
	return len(p), nil
}

func TestParseSizeCap(t *testing.T) {
	opt := ParseOptions{MaxBytes: 2 << 20}
	if _, err := ParseJSONL(&spaces{}, opt); apperr.Message(err) != "文件：不能超过 2 MB" {
		t.Errorf("JSONL: %v", err)
	}
	if _, err := ParseCSV(io.MultiReader(strings.NewReader("正文\n"), &spaces{}), opt); apperr.Message(err) != "文件：不能超过 2 MB" {
		t.Errorf("CSV: %v", err)
	}
	// The cap cannot be raised above MaxImportBytes.
	if (ParseOptions{MaxBytes: 1 << 40}).maxBytes() != MaxImportBytes || (ParseOptions{}).maxBytes() != MaxImportBytes {
		t.Error("MaxBytes not bounded")
	}
	// Just under the cap is fine.
	small := strings.Repeat(" ", 1000) + "\n" + `{"id":"1","text":"x"}`
	if _, err := ParseJSONL(strings.NewReader(small), ParseOptions{MaxBytes: int64(len(small))}); err != nil {
		t.Errorf("at the cap: %v", err)
	}
	if _, err := ParseJSONL(strings.NewReader(small), ParseOptions{MaxBytes: int64(len(small) - 1)}); apperr.Message(err) != "文件：不能超过 1 KB" {
		t.Errorf("one byte over: %v", err)
	}
}
