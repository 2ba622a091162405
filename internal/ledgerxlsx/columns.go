// Package ledgerxlsx reads and writes the 台账 (ledger) as Excel workbooks:
// the export of a filtered ledger view, the downloadable import template and
// the parser that turns a filled template (or an earlier export) into
// validated ledger.Activity values for service.ImportActivities.
//
// The parser is deliberately tolerant about layout (header row anywhere in
// the first rows, columns in any order, extra columns ignored) and strict
// about content: every cell that cannot be understood becomes a RowError
// naming the Excel row and column the user sees, so an office clerk can fix
// the file and import it again.
package ledgerxlsx

import "strings"

// Column keys: the canonical header texts the template and export write.
const (
	colDate     = "日期"
	colType     = "类型"
	colTitle    = "主题"
	colOrg      = "组织部门"
	colLead     = "主讲人/授课人/作者"
	colPlace    = "地点"
	colDuration = "时长（分钟）"
	colAudience = "宣讲对象"
	colCount    = "受众人数"
	colAgenda   = "议题"
	colTopics   = "必修专题"
	colTags     = "标签"
	colPresent  = "参加人员"
	colAbsent   = "缺席人员及原因"
	colContent  = "内容摘要"
)

// importColumns is the column order of the import template.
var importColumns = []string{
	colDate, colType, colTitle, colOrg, colLead, colPlace, colDuration, colAudience,
	colCount, colAgenda, colTopics, colTags, colPresent, colAbsent, colContent,
}

// headerAliases maps header texts people actually write (after normalize)
// to a column key. Files come from templates of other systems and from
// hand-made sheets, so the common variants are accepted.
var headerAliases = map[string]string{
	"日期": colDate, "活动日期": colDate, "开展日期": colDate, "学习日期": colDate, "会议日期": colDate, "开展时间": colDate,
	"类型": colType, "活动类型": colType, "类别": colType,
	"主题": colTitle, "活动主题": colTitle, "标题": colTitle, "名称": colTitle, "学习主题": colTitle, "会议主题": colTitle,
	"组织部门": colOrg, "部门": colOrg, "组织单位": colOrg, "承办部门": colOrg, "组织部门/支部": colOrg,
	"主讲人/授课人/作者": colLead, "主讲/授课/作者": colLead, "主讲人": colLead, "授课人": colLead, "作者": colLead,
	"宣讲人": colLead, "撰写人": colLead, "领学人": colLead, "主讲/领学人": colLead, "牵头领导": colLead,
	"学习人": colLead, "主持人": colLead, "主持人/主讲人": colLead, "主讲人/主持人": colLead,
	"地点": colPlace, "活动地点": colPlace, "会议地点": colPlace,
	"时长（分钟）": colDuration, "时长": colDuration, "时长（分）": colDuration, "时长/分钟": colDuration,
	"宣讲对象": colAudience, "受众类型": colAudience, "受众对象": colAudience,
	"受众人数": colCount, "人数": colCount, "受众": colCount,
	"议题": colAgenda, "会议议题": colAgenda, "意识形态议题": colAgenda,
	"必修专题": colTopics, "必修课": colTopics, "必修课专题": colTopics,
	"标签":   colTags,
	"参加人员": colPresent, "参会人员": colPresent, "出席人员": colPresent, "参加人": colPresent,
	"缺席人员及原因": colAbsent, "缺席人员": colAbsent, "缺席人员（原因）": colAbsent, "缺席": colAbsent,
	"内容摘要": colContent, "内容摘要/纪要": colContent, "内容": colContent, "纪要": colContent,
	"摘要": colContent, "会议纪要": colContent, "学习内容": colContent, "主要内容": colContent,
}

// normalizeHeader folds the cosmetic differences in hand-typed headers
// (the alias keys above are written in the folded form):
// spaces, half-width parentheses, full-width slashes, required-field stars.
func normalizeHeader(s string) string {
	r := strings.NewReplacer("(", "（", ")", "）", "／", "/", "*", "", "＊", "", " ", "", "\u3000", "", "\n", "", "\r", "", "\t", "")
	return r.Replace(strings.TrimSpace(s))
}

// headerKey returns the column key of a header cell, or "".
func headerKey(s string) string {
	return headerAliases[normalizeHeader(s)]
}
