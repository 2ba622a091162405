package form

import "net/url"

// InfoReplaceAll is 全部替换 of one kind of screening finding.
type InfoReplaceAll struct {
	Category string // finding category (规范表述, 标点, …)
	Old, New string // the finding's text and its first suggestion
}

// ParseInfoReplaceAll reads a replace-all form.
func ParseInfoReplaceAll(v url.Values) InfoReplaceAll {
	return InfoReplaceAll{Category: v.Get("category"), Old: v.Get("old"), New: v.Get("new")}
}
