package report

import (
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
)

// Finishing says which closing parts of GB/T 9704-2012 a document takes.
type Finishing struct {
	Recipient bool // 主送机关: documents sent up or out (通报, 月通报, 研判报告)
	Signature bool // 落款: issuing body and 成文日期
	Colophon  bool // 版记: 抄送, 印发机关, 印发日期 (通报)
}

// FinishingOf is what a report kind takes: the half-year and annual
// summaries a 落款; the 月通报 and the 研判报告 also a 主送机关; a
// 述职 is the leader's own and takes neither.
func FinishingOf(k Kind) Finishing {
	switch k {
	case HalfYear, Annual:
		return Finishing{Signature: true}
	case InfoMonthly, Analysis:
		return Finishing{Recipient: true, Signature: true}
	}
	return Finishing{}
}

// CircularFinishing is what a 督导通报 takes: all three.
var CircularFinishing = Finishing{Recipient: true, Signature: true, Colophon: true}

// Finish adds to d the parts f asks for from the unit's settings: the
// issuing body (default 中共<unit>党组), the 主送机关 when one is set,
// and the 版记 with the 印发机关 (default <unit>办公室). date
// ("2006-01-02") is the 成文日期 and 印发日期, written 2023年7月5日.
func Finish(d *docx.Doc, f Finishing, s org.DocSettings, unit, date string) {
	day := ledger.FormatDate(date)
	if f.Recipient && s.Recipient != "" {
		d.Recipient = s.Recipient
	}
	if f.Signature {
		d.Signature = &docx.Signature{Issuer: s.IssuerOf(unit), Date: day}
	}
	if f.Colophon {
		d.Colophon = &docx.Colophon{CC: s.CCList(), Printer: s.PrinterOf(unit), PrintDate: day}
	}
}
