package infosub

// FindingKind is one kind of finding for 全部替换: the findings of a text
// with the same category, text and first suggestion.
type FindingKind struct {
	Category, Text, Suggest string
	Count                   int
}

// Kinds groups the findings that have a suggestion by kind, in order of
// first appearance.
func Kinds(fs []Finding) []FindingKind {
	var out []FindingKind
	idx := map[FindingKind]int{}
	for _, f := range fs {
		if f.Suggest == "" {
			continue
		}
		k := FindingKind{Category: f.Category, Text: f.Text, Suggest: f.FirstSuggest()}
		if i, ok := idx[k]; ok {
			out[i].Count++
			continue
		}
		idx[k] = len(out)
		k.Count = 1
		out = append(out, k)
	}
	return out
}
