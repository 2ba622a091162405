package opinion

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Limits of an import file.
const (
	// DefaultMaxRows is ParseOptions.MaxRows when left 0.
	DefaultMaxRows = 1_000_000
	// MaxImportBytes bounds the file (the shared Weibo corpus of 182,273
	// posts is 31 MB).
	MaxImportBytes = 256 << 20
	// maxRowBytes bounds one JSONL line or CSV record: MaxText characters
	// of three bytes each, with room for the other fields.
	maxRowBytes = 4 << 20
	// maxRowErrors is how many row errors are reported before giving up:
	// a file with a wrong format fails on every row, and a page of
	// identical messages helps no one.
	maxRowErrors = 50
)

// ParseOptions bounds and guides an import.
type ParseOptions struct {
	// MaxRows: more rows than this fail the import (0: DefaultMaxRows).
	MaxRows int
	// MaxBytes: a larger file fails the import (0 or more than
	// MaxImportBytes: MaxImportBytes).
	MaxBytes int64
	// Ref resolves dates without a year, as Weibo shows this year's posts
	// ("03月23日 19:24"): the latest such moment not after Ref (the time
	// the export was made). Zero: such dates are row errors.
	Ref time.Time
}

func (o ParseOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 || o.MaxBytes > MaxImportBytes {
		return MaxImportBytes
	}
	return o.MaxBytes
}

func (o ParseOptions) tooBig() error {
	return apperr.Field("文件", fmt.Sprintf("不能超过 %s", sizeText(o.maxBytes())))
}

// sizeText writes a byte count for a message: "256 MB", "512 KB".
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

func (o ParseOptions) maxRows() int {
	if o.MaxRows <= 0 {
		return DefaultMaxRows
	}
	return o.MaxRows
}

// Parse reads an import file by the extension of its name: .jsonl,
// .ndjson and .json as ParseJSONL, .csv, .tsv and .txt as ParseCSV.
func Parse(name string, r io.Reader, opt ParseOptions) ([]Item, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".jsonl", ".ndjson", ".json":
		return ParseJSONL(r, opt)
	case ".csv", ".tsv", ".txt":
		return ParseCSV(r, opt)
	}
	return nil, apperr.Field("文件", "只能导入 .jsonl 或 .csv 文件")
}

// jsonRow is one JSONL line. The aliases cover common exports; author,
// user and account fields are deliberately not read (aggregates only).
type jsonRow struct {
	ID        json.RawMessage `json:"id"`
	ExtID     json.RawMessage `json:"ext_id"`
	Title     *string         `json:"title"`
	Text      *string         `json:"text"`
	Content   *string         `json:"content"`
	URL       *string         `json:"url"`
	Link      *string         `json:"link"`
	Published json.RawMessage `json:"published"`
	Date      json.RawMessage `json:"date"`
	Time      json.RawMessage `json:"time"`
	PubDate   json.RawMessage `json:"pubdate"`
}

// ParseJSONL reads an import file with one JSON object per line:
// id (or ext_id; string or number), title, text (or content), url (or
// link), published (or date, time, pubdate; see ParseTime; null or absent
// when unknown). Other fields are ignored. Items come out of Prepare
// (trimmed, handles redacted). The import is all or nothing: any bad row
// fails it, with every row error (up to 50) as apperr.Errors
// "第 3 行：正文：标题和正文不能都为空". A UTF-8 BOM is skipped; blank
// lines are skipped. A file that is one JSON array of such objects (as
// many systems export) is read as well, its errors naming "第 N 条".
func ParseJSONL(r io.Reader, opt ParseOptions) ([]Item, error) {
	cr := &countingReader{r: io.LimitReader(r, opt.maxBytes()+1)}
	br := bufio.NewReaderSize(cr, 64<<10)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3) // cannot fail: the bytes were peeked
	}
	if first := firstNonSpace(br); first == '[' {
		return parseJSONArray(br, cr, opt)
	}
	var (
		items []Item
		errs  rowErrors
		seen  = map[string]int{}
	)
	for row := 1; ; row++ {
		line, err := readLine(br, maxRowBytes)
		if cr.n > opt.maxBytes() {
			return nil, opt.tooBig()
		}
		if errors.Is(err, errLineTooLong) {
			errs.add(row, apperr.Field("整行", "超过 4 MB"))
			if errs.full() {
				break
			}
			continue
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read import line %d: %w", row, err)
		}
		if row == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if len(items) >= opt.maxRows() {
				return nil, apperr.Field("文件", fmt.Sprintf("不能超过 %d 行", opt.maxRows()))
			}
			it, rerr := jsonItem(line, opt)
			if rerr == nil {
				rerr = checkDuplicate(seen, it.ExtID, row)
			}
			if rerr != nil {
				errs.add(row, rerr)
				if errs.full() {
					break
				}
			} else if len(errs) == 0 {
				items = append(items, it)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if len(errs) > 0 {
		return nil, errs.err()
	}
	if len(items) == 0 {
		return nil, apperr.Field("文件", "没有可导入的条目")
	}
	return items, nil
}

// firstNonSpace returns the first byte of br that is not white space
// (0 at the end), without consuming anything.
func firstNonSpace(br *bufio.Reader) byte {
	for n := 1; n <= 4096; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0
		}
		if c := b[n-1]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c
		}
		if err != nil {
			return 0
		}
	}
	return 0
}

// parseJSONArray reads a file holding one JSON array of items.
func parseJSONArray(br *bufio.Reader, cr *countingReader, opt ParseOptions) ([]Item, error) {
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil { // the [
		return nil, apperr.Field("文件", "不是有效的 JSON")
	}
	var (
		items []Item
		errs  rowErrors
		seen  = map[string]int{}
	)
	for n := 1; dec.More(); n++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if cr.n > opt.maxBytes() {
			return nil, opt.tooBig()
		}
		if err != nil {
			errs.addAt(fmt.Sprintf("第 %d 条", n), apperr.Field("格式", "不是有效的 JSON"))
			break // the decoder cannot resynchronise
		}
		if len(items) >= opt.maxRows() {
			return nil, apperr.Field("文件", fmt.Sprintf("不能超过 %d 条", opt.maxRows()))
		}
		it, rerr := jsonItem(raw, opt)
		if rerr == nil {
			rerr = checkDuplicateIn(seen, it.ExtID, n, "条")
		}
		if rerr != nil {
			errs.addAt(fmt.Sprintf("第 %d 条", n), rerr)
			if errs.full() {
				break
			}
		} else if len(errs) == 0 {
			items = append(items, it)
		}
	}
	if cr.n > opt.maxBytes() {
		return nil, opt.tooBig()
	}
	if len(errs) > 0 {
		return nil, errs.err()
	}
	if len(items) == 0 {
		return nil, apperr.Field("文件", "没有可导入的条目")
	}
	return items, nil
}

var errLineTooLong = errors.New("line too long")

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readLine returns the next line without its "\n" (and "\r"), reading at
// most max bytes of it; a longer line is consumed and errLineTooLong
// returned.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max+2 {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		return line, err
	}
}

func jsonItem(line []byte, opt ParseOptions) (Item, error) {
	var jr jsonRow
	if err := json.Unmarshal(line, &jr); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Item{}, apperr.Field("格式", fmt.Sprintf("不是有效的 JSON（第 %d 个字节附近）", se.Offset))
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Item{}, apperr.Field(fieldName(te.Field), "应为文本")
		}
		return Item{}, apperr.Field("格式", "不是有效的 JSON 对象")
	}
	var it Item
	var errs apperr.Errors
	id := jr.ID
	if len(id) == 0 || string(id) == "null" {
		id = jr.ExtID
	}
	ext, err := jsonScalar(id)
	if err != nil {
		errs = append(errs, apperr.Field("编号", "应为文本或数字"))
	}
	it.ExtID = ext
	it.Title = deref(jr.Title)
	it.Text = firstOf(deref(jr.Text), deref(jr.Content))
	it.URL = firstOf(deref(jr.URL), deref(jr.Link))
	for _, raw := range []json.RawMessage{jr.Published, jr.Date, jr.Time, jr.PubDate} {
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		t, err := jsonTime(raw, opt.Ref)
		if err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
		it.Published = t
		break
	}
	it = Prepare(it)
	if err := it.Validate(); err != nil {
		errs = append(errs, err.(apperr.Errors)...)
	}
	return it, errs.OrNil()
}

func fieldName(jsonField string) string {
	switch strings.ToLower(jsonField) {
	case "title":
		return "标题"
	case "text", "content":
		return "正文"
	case "url", "link":
		return "链接"
	}
	return jsonField
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// jsonScalar returns a JSON string or number as text ("" for null or absent).
func jsonScalar(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return strings.TrimSpace(s), err
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

func jsonTime(raw json.RawMessage, ref time.Time) (time.Time, error) {
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, apperr.Field("发布时间", "应为文本或数字")
		}
		return ParseTime(s, ref)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f < 0 || f > 1e13 || math.IsNaN(f) {
		return time.Time{}, apperr.Field("发布时间", "应为日期时间文本或 Unix 秒数")
	}
	if f > 1e11 { // milliseconds, as JavaScript exports write them
		return time.UnixMilli(int64(f)), nil
	}
	return time.Unix(int64(f), 0), nil
}

// timeLayouts are the date-time forms imports accept; those without a
// zone are China time.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006-1-2",
	"2006.1.2 15:04:05",
	"2006.1.2 15:04",
	"2006.1.2",
	"20060102",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2006年1月2日 15:04:05",
	"2006年1月2日 15:04",
	"2006年1月2日15:04",
	"2006年1月2日",
	time.RFC1123Z,
	time.RFC1123,
}

// ParseTime reads a publication time as exports write it: RFC 3339,
// "2006-01-02 15:04:05" and its shorter forms, with / or 年月日, RFC 1123
// (feeds); without a zone it is China time. A date without a year
// ("03月23日 19:24") is resolved against ref (see ParseOptions.Ref) and
// is an error when ref is zero. Errors are user errors on 发布时间.
func ParseTime(s string, ref time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, cntime.Zone); err == nil {
			return t, nil
		}
	}
	for _, l := range []string{"01月02日 15:04", "1月2日 15:04", "01月02日", "1月2日"} {
		t, err := time.ParseInLocation(l, s, cntime.Zone)
		if err != nil {
			continue
		}
		if ref.IsZero() {
			return time.Time{}, apperr.Field("发布时间", fmt.Sprintf("“%s”缺少年份，请写成 2015-03-23 19:24 的形式", s))
		}
		r := ref.In(cntime.Zone)
		t = time.Date(r.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, cntime.Zone)
		if t.After(r) {
			t = t.AddDate(-1, 0, 0)
		}
		return t, nil
	}
	return time.Time{}, apperr.Field("发布时间", fmt.Sprintf("“%s”不是可识别的日期时间，请写成 2015-03-23 19:24 的形式", clip(s, 40)))
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func checkDuplicate(seen map[string]int, ext string, row int) error {
	return checkDuplicateIn(seen, ext, row, "行")
}

// checkDuplicateIn reports an id seen before, naming the first row or
// entry (unit 行 or 条).
func checkDuplicateIn(seen map[string]int, ext string, row int, unit string) error {
	if ext == "" {
		return nil
	}
	if first, ok := seen[ext]; ok {
		return apperr.Field("编号", fmt.Sprintf("“%s”与第 %d %s重复", clip(ext, 40), first, unit))
	}
	seen[ext] = row
	return nil
}

// rowErrors collects "第 N 行：字段：原因" errors.
type rowErrors apperr.Errors

func (e *rowErrors) add(row int, err error) {
	e.addAt(fmt.Sprintf("第 %d 行", row), err)
}

// addAt records err at a place ("第 3 条").
func (e *rowErrors) addAt(where string, err error) {
	var list apperr.Errors
	if errors.As(err, &list) {
		for _, x := range list {
			*e = append(*e, &apperr.Error{Field: where, Msg: x.Error()})
		}
		return
	}
	var one *apperr.Error
	if errors.As(err, &one) {
		*e = append(*e, &apperr.Error{Field: where, Msg: one.Error()})
		return
	}
	*e = append(*e, &apperr.Error{Field: where, Msg: "无法读取"})
}

func (e rowErrors) full() bool { return len(e) >= maxRowErrors }

func (e rowErrors) err() error {
	out := apperr.Errors(e)
	if len(out) >= maxRowErrors {
		out = append(out, apperr.Rule(fmt.Sprintf("错误过多，只列出前 %d 条，请检查文件格式", maxRowErrors)))
	}
	return out
}

// csvColumns maps header names (lower-cased) to item fields. Author, user
// and account columns are not listed, so they are never read.
var csvColumns = map[string]string{
	"id": "id", "ext_id": "id", "编号": "id", "序号": "id", "原始编号": "id",
	"title": "title", "标题": "title",
	"text": "text", "content": "text", "正文": "text", "内容": "text", "文本": "text",
	"url": "url", "link": "url", "链接": "url", "网址": "url", "原文链接": "url",
	"published": "published", "date": "published", "time": "published", "pubdate": "published",
	"发布时间": "published", "时间": "published", "日期": "published",
}

// ParseCSV reads an import file in CSV (or tab-separated) form with a
// header row naming the columns: 编号/id, 标题/title, 正文/内容/text,
// 链接/网址/url, 发布时间/日期/published (the other names in csvColumns;
// other columns are ignored). The encoding is detected: UTF-8 with or
// without BOM, UTF-16 with BOM (Excel's "Unicode text"), otherwise
// GB18030 (a superset of GBK, as WPS and older Excel export). Rows follow
// ParseJSONL's rules: all or nothing, "第 N 行：字段：原因", N counting the
// header as row 1.
func ParseCSV(r io.Reader, opt ParseOptions) ([]Item, error) {
	raw := &countingReader{r: io.LimitReader(r, opt.maxBytes()+1)}
	src, err := decodeStream(bufio.NewReaderSize(raw, 64<<10))
	if err != nil {
		return nil, err
	}
	// The delimiter is whichever of tab and comma the header row has more of.
	first, _ := src.Peek(4096)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	if bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")) {
		cr.Comma = '\t'
	}
	header, err := cr.Read()
	if raw.n > opt.maxBytes() {
		return nil, opt.tooBig()
	}
	if err == io.EOF {
		return nil, apperr.Field("文件", "是空的")
	}
	if err != nil {
		return nil, apperr.Field("第 1 行", "表头无法读取")
	}
	cols := map[string]int{}
	for i, h := range slices.Clone(header) {
		if f, ok := csvColumns[strings.ToLower(strings.TrimSpace(h))]; ok {
			if _, dup := cols[f]; !dup {
				cols[f] = i
			}
		}
	}
	_, hasTitle := cols["title"]
	_, hasText := cols["text"]
	if !hasTitle && !hasText {
		return nil, apperr.Field("第 1 行", "表头应包含“标题”或“正文”列（也可写 title、text）")
	}
	get := func(rec []string, f string) string {
		i, ok := cols[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return rec[i]
	}
	var (
		items []Item
		errs  rowErrors
		seen  = map[string]int{}
	)
	for {
		rec, err := cr.Read()
		if raw.n > opt.maxBytes() {
			return nil, opt.tooBig()
		}
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.add(pe.StartLine, apperr.Field("格式", "引号不配对或列数有误"))
				if errs.full() {
					break
				}
				continue
			}
			return nil, fmt.Errorf("read csv: %w", err)
		}
		if blank(rec) {
			continue
		}
		if len(items) >= opt.maxRows() {
			return nil, apperr.Field("文件", fmt.Sprintf("不能超过 %d 行", opt.maxRows()))
		}
		it := Prepare(Item{ExtID: get(rec, "id"), Title: get(rec, "title"), Text: get(rec, "text"), URL: get(rec, "url")})
		var rowErrs apperr.Errors
		if p := get(rec, "published"); strings.TrimSpace(p) != "" {
			t, err := ParseTime(p, opt.Ref)
			if err != nil {
				rowErrs = append(rowErrs, err.(*apperr.Error))
			}
			it.Published = t
		}
		if err := it.Validate(); err != nil {
			rowErrs = append(rowErrs, err.(apperr.Errors)...)
		}
		var rerr error = rowErrs.OrNil()
		if rerr == nil {
			rerr = checkDuplicate(seen, it.ExtID, line)
		}
		if rerr != nil {
			errs.add(line, rerr)
			if errs.full() {
				break
			}
			continue
		}
		if len(errs) == 0 {
			items = append(items, it)
		}
	}
	if len(errs) > 0 {
		return nil, errs.err()
	}
	if len(items) == 0 {
		return nil, apperr.Field("文件", "没有可导入的条目")
	}
	return items, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// decodeStream returns the text of an import file as UTF-8, judging the
// encoding by its first 64 KB: a BOM (UTF-8, UTF-16 LE/BE) decides; valid
// UTF-8 is taken as it is (a later invalid line fails its row); anything
// else is decoded as GB18030, a superset of GBK.
func decodeStream(br *bufio.Reader) (*bufio.Reader, error) {
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("read import: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		if _, err := br.Discard(3); err != nil {
			return nil, fmt.Errorf("read import: %w", err)
		}
		return br, nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10), nil
	case utf8.Valid(completeRunes(head)):
		return br, nil
	}
	return bufio.NewReaderSize(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), 64<<10), nil
}

// DecodeText returns a whole small file's text as UTF-8, judged as
// decodeStream judges an import (a BOM decides; valid UTF-8 is kept;
// anything else is GB18030, a superset of GBK), so a unit's lexicon saved
// by WPS or Excel on Windows is read as the import reads its CSV. A file
// that is neither is a user error naming the field 文件.
func DecodeText(data []byte) ([]byte, error) {
	r, err := decodeStream(bufio.NewReaderSize(bytes.NewReader(data), 64<<10))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(r)
	// A decoder writes U+FFFD for bytes it cannot read: in a file that was
	// not UTF-8 to begin with, that means it was not GB18030 either.
	if err != nil || !utf8.Valid(out) || (!utf8.Valid(data) && bytes.ContainsRune(out, utf8.RuneError)) {
		return nil, apperr.Field("文件", "应为 UTF-8 或 GB18030（GBK）编码的文本文件")
	}
	return out, nil
}

// completeRunes drops a character cut off at the end of b.
func completeRunes(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
