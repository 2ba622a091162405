package report

import (
	"bufio"
	"embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed templates/*.txt
var templateFiles embed.FS

// Template is the wording of one report kind, read from an embedded file.
//
// File format: header lines "name: value" up to a line "---", then one
// block per line: "<style> <key> <text>" where style is h1, h2, h3 or p,
// or "auto <name>" where generated paragraphs go (problems, plan, self,
// selfweak, selfplan, risks: see autoBlocks). Text may use the variables {单位} {期间} {年度} {本期} {下期}
// {次年} {截止} {全辖区} {辖区党委政府} {计划必修课} {计划未开展} {姓名} {职务} {补记天数},
// figure tokens {key} and conditional sentences {?key:…} {!key:…}
// (cond.go). Blank lines and lines starting
// with # are ignored. Header "rule: <type code> <count> <label>" states an
// annual obligation the problems and plan check.
type Template struct {
	Kind          Kind
	Version       int
	Title         string
	Subtitle      string
	Rules         []Rule
	LateThreshold int // percent of late records that makes a problem
	FormThreshold int // percent of one study form that makes 学习形式单一
	Blocks        []Block
}

// Rule is an obligation per calendar year (the supervision module keeps
// the authoritative rules; the report states the values it checked).
type Rule struct {
	Type  string
	Count int
	Label string
}

// Name is the file and version, e.g. half-year.v1.
func (t *Template) Name() string { return fmt.Sprintf("%s.v%d", t.Kind, t.Version) }

// LoadTemplate returns the newest embedded template of a kind.
func LoadTemplate(k Kind) (*Template, error) {
	entries, err := templateFiles.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	best := ""
	bestV := 0
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".txt")
		base, v, ok := strings.Cut(name, ".v")
		if !ok || base != string(k) {
			continue
		}
		n, err := strconv.Atoi(v)
		if err == nil && n > bestV {
			best, bestV = e.Name(), n
		}
	}
	if best == "" {
		return nil, fmt.Errorf("没有 %s 的报告模板", k.Label())
	}
	data, err := templateFiles.ReadFile("templates/" + best)
	if err != nil {
		return nil, err
	}
	t, err := ParseTemplate(string(data))
	if err != nil {
		return nil, fmt.Errorf("模板 %s：%w", best, err)
	}
	if t.Kind != k || t.Version != bestV {
		return nil, fmt.Errorf("模板 %s 的 kind/version 与文件名不符", best)
	}
	return t, nil
}

// ParseTemplate reads a template file.
func ParseTemplate(src string) (*Template, error) {
	t := &Template{LateThreshold: 10, FormThreshold: 60}
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	header := true
	line := 0
	keys := map[string]bool{}
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if header {
			if l == "---" {
				header = false
				continue
			}
			name, val, ok := strings.Cut(l, ":")
			if !ok {
				return nil, fmt.Errorf("第 %d 行：应为“名称：值”", line)
			}
			val = strings.TrimSpace(val)
			var err error
			switch strings.TrimSpace(name) {
			case "kind":
				t.Kind, err = ParseKind(val)
			case "version":
				t.Version, err = strconv.Atoi(val)
			case "title":
				t.Title = val
			case "subtitle":
				t.Subtitle = val
			case "late-threshold":
				t.LateThreshold, err = strconv.Atoi(val)
			case "form-threshold":
				t.FormThreshold, err = strconv.Atoi(val)
			case "rule":
				f := strings.Fields(val)
				if len(f) != 3 {
					return nil, fmt.Errorf("第 %d 行：rule 应为“类型 次数 名称”", line)
				}
				n, e := strconv.Atoi(f[1])
				t.Rules = append(t.Rules, Rule{Type: f[0], Count: n, Label: f[2]})
				err = e
			default:
				err = fmt.Errorf("未知的项“%s”", name)
			}
			if err != nil {
				return nil, fmt.Errorf("第 %d 行：%w", line, err)
			}
			continue
		}
		style, rest, _ := strings.Cut(l, " ")
		key, text, _ := strings.Cut(strings.TrimSpace(rest), " ")
		switch style {
		case "h1", "h2", "h3", "p":
			if key == "" || strings.TrimSpace(text) == "" {
				return nil, fmt.Errorf("第 %d 行：缺少键或正文", line)
			}
		case "auto":
			if _, ok := autoBlocks[key]; !ok {
				return nil, fmt.Errorf("第 %d 行：未知的自动段落“%s”", line, key)
			}
			key = "auto." + key
		default:
			return nil, fmt.Errorf("第 %d 行：未知的样式“%s”", line, style)
		}
		if keys[key] {
			return nil, fmt.Errorf("第 %d 行：键“%s”重复", line, key)
		}
		keys[key] = true
		t.Blocks = append(t.Blocks, Block{Key: key, Style: style, Text: strings.TrimSpace(text)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if t.Kind == "" || t.Version == 0 || t.Title == "" {
		return nil, fmt.Errorf("缺少 kind、version 或 title")
	}
	return t, nil
}
