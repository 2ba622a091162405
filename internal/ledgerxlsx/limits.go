package ledgerxlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Bounding what an import file may cost (issue 15 item 10). An .xlsx is a
// zip of XML parts, so a small upload can expand a thousandfold: 250 MB of
// whitespace, one cell of hundreds of MB, a shared-strings table of
// millions of entries. Before excelize sees the file, inspect walks every
// part once, streaming, with no parsing beyond finding '<' and '>', and
// stops at the first limit crossed: the declared sizes first (archive/zip
// refuses a part that inflates beyond its declared size), then, while
// inflating, the longest text run (a cell, or padding between tags), the
// longest tag, the rows and cells of each worksheet and the entries of the
// shared-strings table. Each limit is several times what a real 5000-row
// ledger needs. excelize is then opened with a small UnzipXMLSizeLimit, so
// worksheets and the shared strings above it are read from temporary files
// rather than held in memory.
const (
	// MaxFileSize bounds the uploaded (compressed) file.
	MaxFileSize = 10 << 20
	// MaxUnzipped bounds the sum of the parts' uncompressed sizes. A
	// 5000-row ledger with a paragraph of minutes per row is about 10 MB.
	MaxUnzipped = 48 << 20
	// MaxParts bounds the number of zip entries.
	MaxParts = 500
	// MaxCellBytes bounds one run of text between two tags: a cell's
	// content (ledger.MaxContent is 50,000 characters, 150 KB in UTF-8) or
	// whitespace between elements.
	MaxCellBytes = 256 << 10
	// maxTagBytes bounds one tag with its attributes.
	maxTagBytes = 16 << 10
	// MaxSheetRows bounds the <row> elements of one worksheet (MaxRows of
	// data plus headers, notes and rows WPS writes for formatting only).
	MaxSheetRows = 20000
	// MaxCells bounds the cells of the whole workbook (5000 rows of 16
	// columns are 80,000).
	MaxCells = 500000
	// MaxSharedStrings bounds the shared-strings table.
	MaxSharedStrings = 200000
	// maxMerges bounds the merged ranges read per worksheet.
	maxMerges = 10000
	// maxSmallPart bounds the workbook and relationship parts read whole.
	maxSmallPart = 1 << 20
	// unzipXMLLimit is the size above which excelize keeps a worksheet or
	// the shared strings in a temporary file instead of memory.
	unzipXMLLimit = 1 << 20
)

// workbookInfo is what inspect learned about a file within the limits.
type workbookInfo struct {
	// merges lists the merged ranges of each sheet by sheet name, as
	// [firstCol, firstRow, lastCol, lastRow] (1-based).
	merges map[string][][4]int
}

// limitError is a crossed limit; its message is for the user.
func limitError(format string, args ...any) *FileError {
	return &FileError{Msg: fmt.Sprintf(format, args...), Err: ErrTooLarge}
}

// ErrTooLarge is the cause of every FileError for a file that crosses one
// of the limits above: errors.Is(err, ErrTooLarge) tells it apart.
var ErrTooLarge = errors.New("xlsx beyond import limits")

const shrinkHint = "请把台账内容复制到新建的工作簿（只粘贴数值）后另存为 .xlsx 再导入，或分批导入。"

// inspect checks data, a zip archive, against the limits and reads the
// sheet names and merged ranges.
func inspect(data []byte) (*workbookInfo, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏。", Err: fmt.Errorf("%w: %w", ErrNotXLSX, err)}
	}
	if len(zr.File) > MaxParts {
		return nil, limitError("文件包含 %d 个部件，超过台账导入允许的 %d 个，不像是普通的台账表格。%s", len(zr.File), MaxParts, shrinkHint)
	}
	var total uint64
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		total += f.UncompressedSize64
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	if total > MaxUnzipped {
		return nil, limitError("文件解压后约 %d MB，超过台账导入允许的 %d MB（5000 行台账通常不到 10 MB），文件中可能有大量空白或隐藏内容。%s",
			total>>20, MaxUnzipped>>20, shrinkHint)
	}
	sheets, err := sheetParts(parts)
	if err != nil {
		return nil, err
	}
	info := &workbookInfo{merges: map[string][][4]int{}}
	cells := 0
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			continue // images and other binary parts: counted in total above
		}
		var sc partScan
		switch {
		case name == "xl/sharedStrings.xml":
			sc.sst = true
		case sheets[name] != "":
			sc.sheet = sheets[name]
		}
		if err := sc.run(f); err != nil {
			return nil, err
		}
		cells += sc.cells
		if cells > MaxCells {
			return nil, limitError("文件共有超过 %d 个单元格，超出台账导入的上限（5000 行台账约 10 万个）。%s", MaxCells, shrinkHint)
		}
		if sc.sheet != "" {
			info.merges[sc.sheet] = sc.merges
		}
	}
	return info, nil
}

// partScan streams one XML part and counts what the limits bound.
type partScan struct {
	sheet  string // sheet name when the part is a worksheet
	sst    bool   // the shared-strings part
	row    int    // current row number (worksheets)
	rows   int
	cells  int
	si     int
	merges [][4]int
}

func (p *partScan) run(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏。", Err: fmt.Errorf("%w: open %s: %w", ErrNotXLSX, f.Name, err)}
	}
	defer rc.Close()
	err = scanXML(rc, p.tag)
	var lim *FileError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &lim):
		return err
	case errors.Is(err, errLongText):
		where := "文件中有一个单元格"
		if p.sheet != "" {
			where = fmt.Sprintf("工作表「%s」第 %d 行附近有一个单元格", p.sheet, p.row)
		}
		return limitError("%s的内容（或单元格之间的空白）超过 %d KB，超出台账导入的上限（一个单元格最多约 5 万字）。长文请作为附件上传；%s",
			where, MaxCellBytes>>10, shrinkHint)
	case errors.Is(err, errLongTag):
		return limitError("文件结构异常（%s 中有超长的标记），不像是 Excel 或 WPS 保存的表格。请在 Excel 或 WPS 中另存为 .xlsx 后再导入。", f.Name)
	}
	return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏。", Err: fmt.Errorf("%w: read %s: %w", ErrNotXLSX, f.Name, err)}
}

// tag sees each tag of the part (without '<' and '>').
func (p *partScan) tag(t []byte) error {
	if len(t) == 0 || t[0] == '/' || t[0] == '?' || t[0] == '!' {
		return nil
	}
	name := t
	if i := bytes.IndexAny(name, " \t\r\n/"); i >= 0 {
		name = name[:i]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:] // a namespace prefix (x:row) as some writers use
	}
	switch {
	case p.sst && string(name) == "si":
		p.si++
		if p.si > MaxSharedStrings {
			return limitError("文件中的文字内容超过 %d 项，超出台账导入的上限。%s", MaxSharedStrings, shrinkHint)
		}
	case p.sheet == "":
	case string(name) == "row":
		p.rows++
		p.row++
		if r, err := strconv.Atoi(attr(t, "r")); err == nil {
			p.row = r
		}
		if p.rows > MaxSheetRows {
			return limitError("工作表「%s」超过 %d 行，超出台账导入的上限（一次最多 %d 行数据）。请分批导入。", p.sheet, MaxSheetRows, MaxRows)
		}
	case string(name) == "c":
		p.cells++
	case string(name) == "mergeCell" && len(p.merges) < maxMerges:
		if a, b, ok := strings.Cut(attr(t, "ref"), ":"); ok {
			c1, r1, err1 := excelize.CellNameToCoordinates(a)
			c2, r2, err2 := excelize.CellNameToCoordinates(b)
			if err1 == nil && err2 == nil && c1 <= c2 && r1 <= r2 {
				p.merges = append(p.merges, [4]int{c1, r1, c2, r2})
			}
		}
	}
	return nil
}

// attr returns the value of attribute name in a tag's bytes, "" if absent.
func attr(t []byte, name string) string {
	key := []byte(" " + name + "=\"")
	i := bytes.Index(t, key)
	if i < 0 {
		return ""
	}
	v := t[i+len(key):]
	if j := bytes.IndexByte(v, '"'); j >= 0 {
		return string(v[:j])
	}
	return ""
}

var (
	errLongText = errors.New("text run beyond MaxCellBytes")
	errLongTag  = errors.New("tag beyond maxTagBytes")
)

// scanXML reads r and calls tag with each tag's bytes between '<' and '>',
// failing with errLongText when a run of text between tags exceeds
// MaxCellBytes and errLongTag when a tag exceeds maxTagBytes. It reads in
// 32 KB chunks and keeps at most one tag, so its memory is constant.
func scanXML(r io.Reader, tag func([]byte) error) error {
	buf := make([]byte, 32<<10)
	var cur []byte
	inTag, run := false, 0
	for {
		n, rerr := r.Read(buf)
		chunk := buf[:n]
		for len(chunk) > 0 {
			if !inTag {
				i := bytes.IndexByte(chunk, '<')
				if i < 0 {
					run += len(chunk)
					if run > MaxCellBytes {
						return errLongText
					}
					break
				}
				if run+i > MaxCellBytes {
					return errLongText
				}
				chunk, inTag, cur = chunk[i+1:], true, cur[:0]
				continue
			}
			i := bytes.IndexByte(chunk, '>')
			if i < 0 {
				if len(cur)+len(chunk) > maxTagBytes {
					return errLongTag
				}
				cur = append(cur, chunk...)
				break
			}
			if len(cur)+i > maxTagBytes {
				return errLongTag
			}
			cur = append(cur, chunk[:i]...)
			if err := tag(cur); err != nil {
				return err
			}
			chunk, inTag, run = chunk[i+1:], false, 0
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

// sheetParts maps each worksheet part (xl/worksheets/sheet1.xml) to its
// sheet name, from the workbook and its relationships.
func sheetParts(parts map[string]*zip.File) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := readSmall(parts, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := readSmall(parts, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		if t := target[s.RID]; t != "" {
			out[t] = s.Name
		}
	}
	return out, nil
}

// readSmall decodes a small XML part, refusing one above maxSmallPart.
func readSmall(parts map[string]*zip.File, name string, v any) error {
	f := parts[name]
	if f == nil {
		return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件：缺少工作簿信息。", Err: fmt.Errorf("%w: no %s", ErrNotXLSX, name)}
	}
	if f.UncompressedSize64 > maxSmallPart {
		return limitError("文件结构异常（%s 过大），不像是 Excel 或 WPS 保存的表格。请在 Excel 或 WPS 中另存为 .xlsx 后再导入。", name)
	}
	rc, err := f.Open()
	if err != nil {
		return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏。", Err: fmt.Errorf("%w: open %s: %w", ErrNotXLSX, name, err)}
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, maxSmallPart)).Decode(v); err != nil {
		return &FileError{Msg: "文件不是有效的 Excel（.xlsx）文件，或已损坏。", Err: fmt.Errorf("%w: decode %s: %w", ErrNotXLSX, name, err)}
	}
	return nil
}
