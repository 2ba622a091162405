package docx

import "strings"

// seedDoc turns the seed report's text into a Doc: lines starting with a
// Chinese numeral and 、 are level-1 headings, the rest body paragraphs.
func seedDoc(text string) Doc {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	d := Doc{Title: "局党组2023年上半年意识形态工作总结\n及下半年工作安排", Subtitle: "（2023年7月5日）"}
	for _, l := range lines[1 : len(lines)-1] {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "一、") || strings.HasPrefix(l, "二、"):
			d.Blocks = append(d.Blocks, Heading{Level: 1, Text: l})
		default:
			d.Blocks = append(d.Blocks, Para{Text: l})
		}
	}
	return d
}
