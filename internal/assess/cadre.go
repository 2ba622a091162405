package assess

import (
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
)

// CaseFile is an evidence file of an accountability case (a decision, a
// 谈话记录, an investigation report). Seen and downloaded only by those who
// see the case; every download is audited.
type CaseFile struct {
	ID        int64
	CaseID    int64
	Name      string
	Mime      string
	Size      int64
	SHA256    string
	CreatedAt int64
}

// CadreRecord is one leader's 干部考察 record for a year: what the year's
// assessment, 述职 and 民主测评 and accountability gave, as data for
// 干部评价使用和奖罚 (the seed) — kept as recorded, not a judgement of the
// person. Only the unit's 第一责任人 and the district see it (CanSeeCases).
type CadreRecord struct {
	ID       int64
	UnitID   int64
	UserID   int64
	UserName string
	Year     int
	// UnitTotal is the unit's assessment total when recorded (nil: no
	// published tree), UnitRank its rank in the district, Frozen whether
	// the total was final.
	UnitTotal *float64
	UnitRank  int
	Frozen    bool
	// The leader's 述职 of the year and its 测评 counts (DebriefID 0: none).
	DebriefID                 int64
	Good, Fair, Average, Poor int
	// Cases are the decided cases naming the leader in the year, one line
	// each ("诫勉谈话（2023-10-27，直接责任）").
	Cases      string
	UseNote    string // 结果运用: how the record was used (评先评优、提拔使用参考…)
	RecordedAt int64
	RecordedBy int64
}

// Validate checks the fields a person enters.
func (r *CadreRecord) Validate() error {
	r.UseNote = strings.TrimSpace(r.UseNote)
	if !yearOK(r.Year) {
		return apperr.Field("年度", "无效")
	}
	if r.UserID == 0 {
		return apperr.Field("班子成员", "请选择")
	}
	if utf8.RuneCountInString(r.UseNote) > 500 {
		return apperr.Field("结果运用", "不能超过 500 个字")
	}
	return nil
}

// Votes is the 测评 total.
func (r CadreRecord) Votes() int { return r.Good + r.Fair + r.Average + r.Poor }
