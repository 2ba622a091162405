package ledgerxlsx

import (
	"strings"
	"unicode"
)

// Names with titles: sheets write a speaker as "李四(副局长)", "李四（副局长）",
// "副局长 李四" or "副局长李四". A person on the staff list written so is
// that person (issue 13 A2), and the import result says which writing was
// matched to whom.

// titles are the posts and forms of address written beside a name in
// bureaus' sheets. A user's own 职务 (org.User.Title) counts too, as does a
// department name followed by one of these (办公室主任).
var titles = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`党组书记 党组副书记 党组成员 党委书记 党委副书记 党委委员 书记 副书记 局长 副局长 常务副局长
		主任 副主任 科长 副科长 处长 副处长 所长 副所长 站长 副站长 队长 副队长 部长 副部长 组长 副组长 委员 主席 副主席
		调研员 一级调研员 二级调研员 三级调研员 四级调研员 主任科员 一级主任科员 二级主任科员 三级主任科员 四级主任科员
		科员 办事员 干部 同志 老师 教授 副教授 讲师 研究员 副研究员 总工程师 总经济师 总会计师 总师 纪检组长 纪检监察组长
		支部书记 党支部书记 支部副书记 宣传委员 组织委员 纪检委员 青年委员 专干 意识形态专干 联络员 信息员 负责人 党员
		分管领导 主要领导 班子成员 局党组书记 局党组成员 一级巡视员 二级巡视员 巡视员 副巡视员 主任医师 工程师 高级工程师`) {
		titles[t] = true
	}
}

// isTitle reports whether s is a title: one of titles, the person's own
// 职务, a department name followed by one, or several joined by 、 or ，.
func (p *rowParser) isTitle(s, own string) bool {
	s = strings.Trim(s, " \u3000")
	if s == "" {
		return false
	}
	if parts := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == '，' || r == ',' || r == '/' || r == '／' }); len(parts) > 1 {
		for _, part := range parts {
			if !p.isTitle(part, own) {
				return false
			}
		}
		return true
	}
	if titles[s] || (own != "" && s == own) {
		return true
	}
	for name := range p.orgs {
		if rest, ok := strings.CutPrefix(s, name); ok && name != "" && titles[rest] {
			return true
		}
	}
	return false
}

// matchTitled finds the staff member written with a title, as in
// "李四(副局长)", "副局长 李四", "李四 副局长", "副局长李四" or "李四同志".
// It returns the candidates (none, one, or several of the same name) and
// the bare name.
func (p *rowParser) matchTitled(s string) (name string, ok bool) {
	s = strings.NewReplacer("（", "(", "）", ")").Replace(trimCell(s))
	if n, note := splitNote(s); note != "" && p.isTitleFor(n, note) {
		return n, true
	}
	if f := strings.FieldsFunc(s, unicode.IsSpace); len(f) > 1 {
		var found string
		for _, tok := range f {
			switch {
			case len(p.staff[tok]) > 0 && found == "":
				found = tok
			case p.isTitle(tok, ""):
			default:
				return "", false
			}
		}
		if found != "" {
			for _, tok := range f {
				if tok != found && !p.isTitleFor(found, tok) {
					return "", false
				}
			}
			return found, true
		}
		return "", false
	}
	for n := range p.staff {
		if n == "" || n == s {
			continue
		}
		if rest, ok := strings.CutPrefix(s, n); ok && p.isTitleFor(n, rest) {
			return n, true
		}
		if rest, ok := strings.CutSuffix(s, n); ok && p.isTitleFor(n, rest) {
			return n, true
		}
	}
	return "", false
}

// isTitleFor is isTitle with the 职务 of the staff named name.
func (p *rowParser) isTitleFor(name, s string) bool {
	if len(p.staff[name]) == 0 {
		return false
	}
	for _, u := range p.staff[name] {
		if p.isTitle(s, strings.TrimSpace(u.Title)) {
			return true
		}
	}
	return false
}
