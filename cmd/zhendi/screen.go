package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"unicode/utf8"

	"zhendi/internal/infosub"
)

// exitCode ends the program with a status and no message (the command has
// printed what there is to say).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// maxScreenBytes bounds what screen reads (a file, stdin, or the text of a
// .docx after unpacking): far above any draft, small enough to keep a
// zip bomb harmless.
const maxScreenBytes = 32 << 20

// screenFinding is one finding as --json prints it.
type screenFinding struct {
	Line     int    `json:"line"`   // 1-based
	Column   int    `json:"column"` // 1-based, in characters
	Category string `json:"category"`
	Severity string `json:"severity"` // 提示 or 阻断
	Blocking bool   `json:"blocking"`
	Text     string `json:"text"`
	Suggest  string `json:"suggest"`
	Note     string `json:"note"`
	Start    int    `json:"start"` // byte offsets into the screened text
	End      int    `json:"end"`
}

// screenCmd screens a .txt or .docx file, or standard input ("-"), with
// the built-in lexicon, plus a unit's own terms from the database (--unit)
// or from a TSV file exported on the 词库 page (--terms). It prints each
// finding with line, column, category, the text and the suggestion, and
// returns exitCode(1) when a finding blocks submission.
func screenCmd(ctx context.Context, log *slog.Logger, args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("screen", flag.ContinueOnError)
	fs.SetOutput(out)
	var d dbFlags
	d.register(fs)
	asJSON := fs.Bool("json", false, "以 JSON 输出（供脚本使用）")
	unit := fs.Int64("unit", 0, "使用该单位在系统中的自有词库（单位 ID，见 zhendi user list）")
	termsFile := fs.String("terms", "", "使用从“词库”页面导出的 TSV 词库文件")
	fs.Usage = func() {
		fmt.Fprint(out, "用法：zhendi screen [--json] [--unit 单位ID | --terms 词库.tsv] 文件.txt|文件.docx|-\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCode(2)
	}
	text, err := readScreenInput(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	var own []infosub.Term
	switch {
	case *unit != 0 && *termsFile != "":
		return errors.New("--unit 和 --terms 只能选一个")
	case *unit != 0:
		s, err := d.open(ctx, log)
		if err != nil {
			return err
		}
		defer s.Close()
		if own, err = s.InfoTerms(ctx, *unit); err != nil {
			return fmt.Errorf("读取单位 %d 的词库：%w", *unit, err)
		}
	case *termsFile != "":
		data, err := os.ReadFile(*termsFile)
		if err != nil {
			return fmt.Errorf("读取词库文件：%w", err)
		}
		if own, err = infosub.ParseTermsTSV(data); err != nil {
			return fmt.Errorf("词库文件 %s：%w", *termsFile, err)
		}
	}
	scr := infosub.DefaultScreener()
	if len(own) > 0 {
		if scr, err = infosub.NewScreener(own); err != nil {
			return fmt.Errorf("编译词库：%w", err)
		}
	}
	found := scr.Screen(text)
	list := make([]screenFinding, 0, len(found))
	blocking := false
	for _, f := range found {
		line := 1 + strings.Count(text[:f.Start], "\n")
		col := 1 + utf8.RuneCountInString(text[strings.LastIndexByte(text[:f.Start], '\n')+1:f.Start])
		sev := "提示"
		if f.Blocking() {
			sev, blocking = "阻断", true
		}
		list = append(list, screenFinding{Line: line, Column: col, Category: f.Category, Severity: sev, Blocking: f.Blocking(),
			Text: f.Text, Suggest: f.Suggest, Note: f.Note, Start: f.Start, End: f.End})
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	} else {
		for _, f := range list {
			s := fmt.Sprintf("%d:%d\t%s\t%s\t%q", f.Line, f.Column, f.Category, f.Severity, f.Text)
			if f.Suggest != "" {
				s += " → " + f.Suggest
			}
			if f.Note != "" {
				s += "\t" + f.Note
			}
			fmt.Fprintln(out, s)
		}
		nBlock := 0
		for _, f := range list {
			if f.Blocking {
				nBlock++
			}
		}
		fmt.Fprintf(out, "共 %d 处问题，其中阻断 %d 处。\n", len(list), nBlock)
	}
	if blocking {
		return exitCode(1)
	}
	return nil
}

// readScreenInput returns the text of a .txt (UTF-8) or .docx file, or of
// standard input for "-".
func readScreenInput(name string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, maxScreenBytes+1))
	} else {
		var f *os.File
		if f, err = os.Open(name); err != nil {
			return "", fmt.Errorf("打开 %s：%w", name, err)
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxScreenBytes+1))
	}
	if err != nil {
		return "", fmt.Errorf("读取 %s：%w", name, err)
	}
	if len(data) > maxScreenBytes {
		return "", fmt.Errorf("%s 超过 %d MB", name, maxScreenBytes>>20)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return docxText(data)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return "", fmt.Errorf("%s 不是 UTF-8 编码的文本，请另存为 UTF-8 或 .docx 后再检查", name)
	}
	return string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), nil
}

// docxText returns the text of a Word document's body: one line per
// paragraph, tabs and line breaks kept.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("不是有效的 .docx 文件：%w", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errors.New("不是有效的 .docx 文件：缺少 word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("读取 .docx 正文：%w", err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxScreenBytes))
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("读取 .docx 正文：%w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}
