package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

func seedBytes(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bytes(seedDoc(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parts opens the package and returns every part by name.
func parts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := out[f.Name]; dup {
			t.Errorf("duplicate part %s", f.Name)
		}
		out[f.Name] = data
	}
	return out
}

func wellFormed(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

type rels struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type contentTypes struct {
	Default []struct {
		Ext  string `xml:"Extension,attr"`
		Type string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Override []struct {
		Part string `xml:"PartName,attr"`
		Type string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

// TestPackageValid checks what Word, WPS and LibreOffice need to open the
// file: a zip whose parts are all well-formed XML, every relationship
// target present, every part typed in [Content_Types].xml, and no part
// that nothing refers to.
func TestPackageValid(t *testing.T) {
	docs := map[string]Doc{
		"seed":  seedDoc(mustRead(t, "testdata/seed.txt")),
		"empty": {},
		"hostile": {Title: "<标题>&\"'", Subtitle: "a\x00b\x1fc", Blocks: []Block{
			Heading{Level: 2, Text: "]]><w:p/>"}, Para{Runs: []Run{{Text: "粗体", Bold: true}, {Text: "正文\n第二段"}}},
			Table{Header: []string{"序号", "内容"}, Rows: [][]string{{"1"}, {"2", "a\nb", "多出的列"}}, Widths: []int{2}},
			&Para{Text: "\xff无效字节"}, PageBreak{}, &Heading{Level: 3, Text: "1.三级"}, &Table{},
		}},
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			b, err := Bytes(d)
			if err != nil {
				t.Fatal(err)
			}
			p := parts(t, b)
			for n, data := range p {
				if strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels") {
					if err := wellFormed(data); err != nil {
						t.Errorf("%s is not well-formed: %v", n, err)
					}
				}
			}
			var ct contentTypes
			if err := xml.Unmarshal(p["[Content_Types].xml"], &ct); err != nil {
				t.Fatal(err)
			}
			typed := map[string]string{}
			for _, o := range ct.Override {
				typed[strings.TrimPrefix(o.Part, "/")] = o.Type
			}
			defaults := map[string]string{}
			for _, d := range ct.Default {
				defaults[d.Ext] = d.Type
			}
			for n := range p {
				if n == "[Content_Types].xml" {
					continue
				}
				if _, ok := typed[n]; !ok && defaults[path.Ext(n)[1:]] == "" {
					t.Errorf("part %s has no content type", n)
				}
			}
			for n := range typed {
				if _, ok := p[n]; !ok {
					t.Errorf("content type for missing part %s", n)
				}
			}
			if typed["word/document.xml"] != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
				t.Errorf("main document type = %q", typed["word/document.xml"])
			}
			// Follow relationships from the package root.
			referenced := map[string]bool{"[Content_Types].xml": true}
			var walk func(relsPart, base string)
			walk = func(relsPart, base string) {
				referenced[relsPart] = true
				var r rels
				if err := xml.Unmarshal(p[relsPart], &r); err != nil {
					t.Fatalf("%s: %v", relsPart, err)
				}
				ids := map[string]bool{}
				for _, rel := range r.Rel {
					if ids[rel.ID] {
						t.Errorf("%s: duplicate id %s", relsPart, rel.ID)
					}
					ids[rel.ID] = true
					target := path.Join(base, rel.Target)
					if _, ok := p[target]; !ok {
						t.Errorf("%s: %s points to missing %s", relsPart, rel.ID, target)
						continue
					}
					referenced[target] = true
					sub := path.Join(path.Dir(target), "_rels", path.Base(target)+".rels")
					if _, ok := p[sub]; ok && !referenced[sub] {
						walk(sub, path.Dir(target))
					}
				}
			}
			walk("_rels/.rels", "")
			for n := range p {
				if !referenced[n] {
					t.Errorf("part %s is not referenced", n)
				}
			}
			// Every r:id used in the document exists in its relationships.
			var dr rels
			xml.Unmarshal(p["word/_rels/document.xml.rels"], &dr)
			have := map[string]bool{}
			for _, r := range dr.Rel {
				have[r.ID] = true
			}
			for _, m := range regexp.MustCompile(`r:id="([^"]+)"`).FindAllStringSubmatch(string(p["word/document.xml"]), -1) {
				if !have[m[1]] {
					t.Errorf("document uses r:id %s that is not defined", m[1])
				}
			}
		})
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestGBT9704XML asserts the page setup, fonts and footers of GB/T 9704.
func TestGBT9704XML(t *testing.T) {
	p := parts(t, seedBytes(t))
	doc, styles, settings := string(p["word/document.xml"]), string(p["word/styles.xml"]), string(p["word/settings.xml"])
	fonts := string(p["word/fontTable.xml"])
	odd, even := string(p["word/footer1.xml"]), string(p["word/footer2.xml"])
	cases := []struct {
		name, part, want string
	}{
		{"A4", doc, `<w:pgSz w:w="11906" w:h="16838"/>`},
		{"margins 37/26/35/28 mm", doc, `w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`},
		{"22-line grid", doc, `<w:docGrid w:type="lines" w:linePitch="579"/>`},
		{"odd footer", doc, `<w:footerReference w:type="default" r:id="rId4"/>`},
		{"even footer", doc, `<w:footerReference w:type="even" r:id="rId5"/>`},
		{"title style", doc, `<w:pStyle w:val="DocTitle"/>`},
		{"heading 1", doc, `<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">一、上半年工作完成情况`},
		{"body 16pt default", styles, `<w:sz w:val="32"/>`},
		{"character spacing -0.25pt", styles, `<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:spacing w:val="-5"/>`},
		{"first-line indent 2 chars", styles, `<w:ind w:firstLine="640"/>`},
		{"zh-CN text", styles, `w:eastAsia="zh-CN"`},
		{"title 22pt 小标宋", styles, `<w:rFonts w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" w:eastAsia="方正小标宋简体"/><w:spacing w:val="0"/><w:sz w:val="44"/>`},
		{"heading 1 黑体", styles, `<w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/>`},
		{"heading 2 楷体", styles, `<w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="楷体_GB2312" w:hAnsi="楷体_GB2312" w:eastAsia="楷体_GB2312"/>`},
		{"heading 3 bold", styles, `<w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/>`},
		{"footer 14pt 宋体", styles, `<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/><w:spacing w:val="0"/><w:sz w:val="28"/>`},
		{"even/odd footers on", settings, `<w:evenAndOddHeaders/>`},
		{"仿宋 fallback", fonts, `<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>`},
		{"小标宋 fallback", fonts, `<w:font w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>`},
		{"楷体 fallback", fonts, `<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>`},
		{"odd page number right", odd, `<w:ind w:right="280" w:firstLine="0"/><w:jc w:val="right"/>`},
		{"even page number left", even, `<w:ind w:left="280" w:firstLine="0"/><w:jc w:val="left"/>`},
		{"page field with dashes", odd, `<w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText>`},
	}
	for _, c := range cases {
		if !strings.Contains(c.part, c.want) {
			t.Errorf("%s: missing %s", c.name, c.want)
		}
	}
}

func TestBlocksXML(t *testing.T) {
	b, err := Bytes(Doc{Title: "标题", Blocks: []Block{
		Heading{Level: 2, Text: "（一）二级"}, Heading{Level: 3, Text: "1.三级"},
		Para{Runs: []Run{{Text: "一是", Bold: true}, {Text: "坚持<学习>"}}},
		Table{Header: []string{"科室", "条数"}, Rows: [][]string{{"办公室", "12"}}, Widths: []int{6, 2}},
		PageBreak{},
	}})
	if err != nil {
		t.Fatal(err)
	}
	doc := string(parts(t, b)["word/document.xml"])
	for _, want := range []string{
		`<w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t xml:space="preserve">（一）二级`,
		`<w:pStyle w:val="Heading3"/>`,
		`<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">一是</w:t></w:r><w:r><w:t xml:space="preserve">坚持&lt;学习&gt;</w:t>`,
		`<w:tblHeader/>`, `<w:gridCol w:w="6633"/><w:gridCol w:w="2212"/>`,
		`<w:pStyle w:val="TableHeader"/></w:pPr><w:r><w:t xml:space="preserve">科室`,
		`<w:br w:type="page"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(seedBytes(t), seedBytes(t)) {
		t.Error("the same document gave different bytes")
	}
}

func BenchmarkWriteSeed(b *testing.B) {
	d := seedDoc(mustReadB(b, "testdata/seed.txt"))
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func mustReadB(b *testing.B, name string) string {
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}
