package org

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// DocSettings says how a unit's official documents are finished
// (GB/T 9704-2012): the issuing body of the 落款 (发文机关署名, e.g.
// "中共某某局党组"), the 主送机关 of its 通报, 月通报 and 研判报告
// ("中共某某区委宣传部"), the 抄送机关 of the 版记 (several, separated by
// 、，or a new line) and the 印发机关. Empty fields take the defaults of
// Issuer and Printer; an empty Recipient or CC leaves the element out.
type DocSettings struct {
	Issuer    string
	Recipient string
	CC        string
	Printer   string
	// Prefix is the 发文机关代字 of the 发文字号 ("农发" in
	// 农发〔2026〕3号); a numbered 通报 needs one.
	Prefix string
}

// Validate trims the fields and checks their lengths (60 characters, the
// 抄送 list 200), naming the field in a user error.
func (d *DocSettings) Validate() error {
	var errs apperr.Errors
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"发文机关署名", &d.Issuer, 60}, {"主送机关", &d.Recipient, 60}, {"抄送机关", &d.CC, 200}, {"印发机关", &d.Printer, 60}, {"发文机关代字", &d.Prefix, 10}} {
		*f.v = strings.TrimSpace(*f.v)
		if utf8.RuneCountInString(*f.v) > f.max {
			errs = append(errs, apperr.Field(f.name, "不能超过 "+strconv.Itoa(f.max)+" 个字"))
		}
		if strings.ContainsAny(*f.v, "<>") {
			errs = append(errs, apperr.Field(f.name, "不能含有 < 或 >"))
		}
	}
	if strings.ContainsAny(d.Prefix, "〔〕[]()（）0123456789") {
		errs = append(errs, apperr.Field("发文机关代字", "只写代字，如“农发”；年份和序号由系统编排"))
	}
	return errs.OrNil()
}

// IssuerOf is the issuing body of the unit's documents: the setting, or
// by default the unit's party group, "中共" + unit + "党组".
func (d DocSettings) IssuerOf(unit string) string {
	if d.Issuer != "" {
		return d.Issuer
	}
	return "中共" + unit + "党组"
}

// PrinterOf is the 印发机关: the setting, or by default the unit's
// office, unit + "办公室".
func (d DocSettings) PrinterOf(unit string) string {
	if d.Printer != "" {
		return d.Printer
	}
	return unit + "办公室"
}

// CCList splits the 抄送机关 into names.
func (d DocSettings) CCList() []string {
	return strings.FieldsFunc(d.CC, func(r rune) bool { return strings.ContainsRune("、，,；;\n\r", r) })
}

// DistrictIssuer is the default issuing body of a district's documents
// (the district 督导通报 and 月通报): its party committee's propaganda
// department, "中共" + district + "委宣传部".
func DistrictIssuer(district string) string {
	return "中共" + district + "委宣传部"
}

// DocNumber is one entry of a node's 发文字号 register: the number a
// document got when it was issued ("农发〔2026〕3号"). Kind and Subject
// say which document ("circular", "unit:12:2023"): one document, one
// number, assigned once and never reused.
type DocNumber struct {
	ID       int64
	NodeID   int64
	Year     int
	Seq      int
	Prefix   string
	Kind     string
	Subject  string
	Title    string
	IssuedAt int64
	IssuedBy int64
	// IssuerName is the name of who issued it (read from the register).
	IssuerName string
}

// String is the 发文字号 as GB/T 9704-2012 7.2.4 writes it: 代字, the year
// in 六角括号 and the number without leading zeros, "农发〔2026〕3号".
func (n DocNumber) String() string {
	if n.Seq == 0 {
		return ""
	}
	return n.Prefix + "〔" + strconv.Itoa(n.Year) + "〕" + strconv.Itoa(n.Seq) + "号"
}
