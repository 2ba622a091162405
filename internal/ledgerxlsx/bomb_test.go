package ledgerxlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Expanding uploads (issue 15 item 10): each bomb is built here, small on
// the wire and enormous unzipped, and Read must refuse it with a Chinese
// message, quickly, without the heap growing by more than 100 MB.

const memBudget = 100 << 20

// baseWorkbook is a real workbook with a header row, whose parts the bombs
// reuse.
func baseWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"日期", "类型", "主题"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// part writes one zip entry's content; declared, when not 0, is the
// uncompressed size the entry claims (a lie, for the lying bomb).
type part struct {
	write    func(w io.Writer)
	declared uint64
}

// bomb copies the base workbook, replacing or adding the given parts.
func bomb(t testing.TB, parts map[string]part) []byte {
	t.Helper()
	base := baseWorkbook(t)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if _, replaced := parts[f.Name]; replaced {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	for name, p := range parts {
		if p.declared == 0 {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			p.write(w)
			continue
		}
		var comp bytes.Buffer
		crc := crc32.NewIEEE()
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		p.write(io.MultiWriter(fw, crc))
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: p.declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// repeat writes s n times, in chunks, never holding it all.
func repeat(w io.Writer, s string, n int) {
	chunk := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(chunk) / len(s)
	for n > 0 {
		k := min(n, per)
		io.WriteString(w, chunk[:k*len(s)])
		n -= k
	}
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
	`<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c><c r="B1" t="inlineStr"><is><t>类型</t></is></c><c r="C1" t="inlineStr"><is><t>主题</t></is></c></row>`
const sheetTail = `</sheetData></worksheet>`

func sheet(body func(w io.Writer)) part {
	return part{write: func(w io.Writer) {
		io.WriteString(w, sheetHead)
		body(w)
		io.WriteString(w, sheetTail)
	}}
}

// peakHeap runs fn and returns the most the heap grew above what it was
// before, sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak {
				peak = m.HeapAlloc - base
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return peak
}

const sheetPath = "xl/worksheets/sheet1.xml"

func TestBombs(t *testing.T) {
	tests := []struct {
		name  string
		parts map[string]part
		msg   string
	}{
		{"250 MB of whitespace", map[string]part{sheetPath: sheet(func(w io.Writer) { repeat(w, " ", 250<<20) })},
			"文件解压后约 250 MB，超过台账导入允许的 48 MB"},
		{"whitespace with a lying size", map[string]part{sheetPath: {declared: 4096, write: func(w io.Writer) {
			io.WriteString(w, sheetHead)
			repeat(w, " ", 250<<20)
			io.WriteString(w, sheetTail)
		}}}, "不是有效的 Excel（.xlsx）文件"},
		{"one huge cell", map[string]part{sheetPath: sheet(func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
			repeat(w, "学", 12<<20) // 36 MB of text
			io.WriteString(w, `</t></is></c></row>`)
		})}, "工作表「Sheet1」第 2 行附近有一个单元格的内容（或单元格之间的空白）超过 256 KB"},
		{"huge shared-strings table", map[string]part{"xl/sharedStrings.xml": {write: func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			repeat(w, `<si><t>x</t></si>`, 2_500_000)
			io.WriteString(w, `</sst>`)
		}}}, "文件中的文字内容超过 200000 项"},
		{"one huge shared string", map[string]part{"xl/sharedStrings.xml": {write: func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`)
			repeat(w, "x", 40<<20)
			io.WriteString(w, `</t></si></sst>`)
		}}}, "文件中有一个单元格的内容（或单元格之间的空白）超过 256 KB"},
		{"too many rows", map[string]part{sheetPath: sheet(func(w io.Writer) {
			for i := 2; i < 30000; i++ {
				fmt.Fprintf(w, `<row r="%d"/>`, i)
			}
		})}, "工作表「Sheet1」超过 20000 行"},
		{"too many cells", map[string]part{sheetPath: sheet(func(w io.Writer) {
			for i := 2; i < 10000; i++ {
				fmt.Fprintf(w, `<row r="%d">`, i)
				repeat(w, `<c t="n"><v>1</v></c>`, 60)
				io.WriteString(w, `</row>`)
			}
		})}, "文件共有超过 500000 个单元格"},
		{"a long tag", map[string]part{sheetPath: sheet(func(w io.Writer) {
			io.WriteString(w, `<row r="2" x="`)
			repeat(w, "a", 1<<20)
			io.WriteString(w, `"/>`)
		})}, "有超长的标记"},
		{"many parts", func() map[string]part {
			m := map[string]part{}
			for i := range MaxParts + 1 {
				m[fmt.Sprintf("xl/media/p%d.xml", i)] = part{write: func(w io.Writer) { io.WriteString(w, "<a/>") }}
			}
			return m
		}(), "文件包含 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bomb(t, tt.parts)
			if len(data) > MaxFileSize {
				t.Fatalf("bomb is %d bytes, above the upload limit: not a bomb", len(data))
			}
			var err error
			start := time.Now()
			peak := peakHeap(func() {
				_, err = Read(bytes.NewReader(data), Input{UnitID: unitID, Nodes: nodes, Staff: staff, Today: today})
			})
			took := time.Since(start)
			t.Logf("%d KB upload: refused in %v, heap grew at most %.1f MB", len(data)>>10, took.Round(time.Millisecond), float64(peak)/(1<<20))
			var fe *FileError
			if !errors.As(err, &fe) || !strings.Contains(fe.Msg, tt.msg) {
				t.Fatalf("err = %v, want a FileError containing %q", err, tt.msg)
			}
			if peak > memBudget {
				t.Errorf("heap grew by %d MB, budget %d MB", peak>>20, memBudget>>20)
			}
		})
	}
}

// TestLargeRealFileWithinBudget: a real 5000-row ledger with a paragraph
// of minutes per row is read whole within the same memory budget.
func TestLargeRealFileWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 5000-row workbook")
	}
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"日期", "类型", "主题", "作者", "内容摘要"})
	minutes := strings.Repeat("认真学习贯彻党的二十大精神，结合本单位实际研究部署意识形态工作。", 12)
	for i := range MaxRows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{"2023-06-30", "心得", fmt.Sprintf("心得%d", i), "李明", fmt.Sprintf("%d%s", i, minutes)})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data := buf.Bytes()
	var res *Result
	start := time.Now()
	peak := peakHeap(func() {
		res, err = Read(bytes.NewReader(data), Input{UnitID: unitID, Nodes: nodes, Staff: staff, Today: today})
	})
	t.Logf("%d KB upload of %d rows: read in %v, heap grew at most %.1f MB", len(data)>>10, MaxRows, time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20))
	if err != nil || len(res.Errors) > 0 || len(res.Acts) != MaxRows {
		t.Fatalf("err %v, %d errors, %d acts", err, len(res.Errors), len(res.Acts))
	}
	if peak > memBudget {
		t.Errorf("heap grew by %d MB, budget %d MB", peak>>20, memBudget>>20)
	}
}
