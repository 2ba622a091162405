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

import (
	"slices"
	"strings"
)

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
	// colClaimed is the recording date the old sheet claims (原登记日期):
	// kept and shown as the sheet's claim, never used as the system's
	// recording time (issue 13 A1).
	colClaimed = "原登记日期"
	// colNote (备注) is kept with the content: "备注：…" after the summary.
	colNote = "备注"
)

// importColumns is the column order of the import template.
var importColumns = []string{
	colDate, colType, colTitle, colOrg, colLead, colPlace, colDuration, colAudience,
	colCount, colAgenda, colTopics, colTags, colPresent, colAbsent, colContent, colClaimed,
}

// readColumns are the columns Read places: the template's and 备注.
var readColumns = append(slices.Clone(importColumns), colNote)

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
	"时长(分钟)": colDuration, "时长": colDuration, "时长(分)": colDuration, "时长/分钟": colDuration,
	"宣讲对象": colAudience, "受众类型": colAudience, "受众对象": colAudience,
	"受众人数": colCount, "人数": colCount, "受众": colCount,
	"议题": colAgenda, "会议议题": colAgenda, "意识形态议题": colAgenda,
	"必修专题": colTopics, "必修课": colTopics, "必修课专题": colTopics,
	"标签":   colTags,
	"参加人员": colPresent, "参会人员": colPresent, "出席人员": colPresent, "参加人": colPresent,
	"缺席人员及原因": colAbsent, "缺席人员": colAbsent, "缺席人员(原因)": colAbsent, "缺席": colAbsent,
	"内容摘要": colContent, "内容摘要/纪要": colContent, "内容": colContent, "纪要": colContent,
	"摘要": colContent, "会议纪要": colContent, "学习内容": colContent, "主要内容": colContent,
	// Variants seen in bureaus' own sheets (issue 13 A3).
	"时间": colDate, "活动时间": colDate, "会议时间": colDate, "学习时间": colDate, "日期/时间": colDate,
	"活动形式": colType, "形式": colType, "学习形式": colType, "会议类型": colType, "活动类别": colType,
	"活动名称": colTitle, "会议名称": colTitle, "活动内容/主题": colTitle, "主题/名称": colTitle,
	"责任部门": colOrg, "组织科室": colOrg, "科室": colOrg, "支部": colOrg, "牵头部门": colOrg, "部门/支部": colOrg, "科室/支部": colOrg,
	"主讲": colLead, "主持": colLead, "主讲/主持": colLead, "主持/主讲": colLead, "主讲(主持)人": colLead, "主持(主讲)人": colLead,
	"主讲/主持人": colLead, "主持/主讲人": colLead, "领学": colLead, "授课": colLead, "讲课人": colLead, "宣讲人员": colLead,
	"主讲人/授课人": colLead, "主讲人/作者": colLead, "撰稿人": colLead, "报告人": colLead, "述职人": colLead,
	"场所": colPlace, "学习地点": colPlace,
	"学习时长(分钟)": colDuration, "会议时长(分钟)": colDuration, "时长/分": colDuration,
	"对象": colAudience, "宣讲对象类型": colAudience, "听众": colAudience, "听众类型": colAudience,
	"受众人数(人)": colCount, "听众人数": colCount, "宣讲人数": colCount, "覆盖人数": colCount, "受众人次": colCount,
	"研究议题": colAgenda, "议题内容": colAgenda,
	"必修专题(课)": colTopics, "涉及必修专题": colTopics,
	"参会人": colPresent, "出席人": colPresent, "参加人员名单": colPresent, "参学人员": colPresent, "实到人员": colPresent,
	"缺席人员及原因(事由)": colAbsent, "缺席及原因": colAbsent, "缺席人员(事由)": colAbsent, "请假人员": colAbsent,
	"请假人员及原因": colAbsent, "缺席人员/原因": colAbsent, "缺席(原因)": colAbsent,
	"备注": colNote, "备注说明": colNote, "其他说明": colNote,
	"原登记日期": colClaimed, "登记日期": colClaimed, "登记时间": colClaimed, "原登记时间": colClaimed, "填报日期": colClaimed, "填报时间": colClaimed,
}

// ignoredHeaders are columns people add for their own use that hold
// nothing to import (row numbers); they are named in the preview as
// ignored rather than refused.
var ignoredHeaders = map[string]bool{"序号": true, "编号": true, "序": true, "No.": true, "NO.": true, "No": true, "NO": true, "行号": true,
	// Columns of the export that the system computes or records itself.
	"出席/应到": true, "登记人": true, "来源": true}

// commonAliases are the aliases named in the message about an
// unrecognised header (headerAliases accepts more).
var commonAliases = map[string][]string{
	colDate: {"活动日期", "时间"}, colType: {"活动类型", "形式"}, colTitle: {"活动主题", "名称"},
	colOrg: {"部门", "科室", "支部"}, colLead: {"主讲人", "主持人", "主讲/主持", "授课人", "宣讲人", "作者"},
	colPlace: {"活动地点"}, colDuration: {"时长"}, colAudience: {"对象", "受众对象"}, colCount: {"人数"},
	colAgenda: {"会议议题"}, colTopics: {"必修课"}, colPresent: {"参会人员", "出席人员"},
	colAbsent: {"缺席人员", "请假人员"}, colContent: {"内容", "会议纪要"}, colClaimed: {"登记日期", "登记时间"}, colNote: {"备注说明"},
}

// acceptedNames lists the accepted headers with their common aliases, for
// the message about an unrecognised header.
func acceptedNames() string {
	var parts []string
	for _, key := range readColumns {
		if al := commonAliases[key]; len(al) > 0 {
			parts = append(parts, "「"+key+"」（或"+strings.Join(al, "、")+"）")
		} else {
			parts = append(parts, "「"+key+"」")
		}
	}
	return strings.Join(parts, "、")
}

// normalizeHeader folds the cosmetic differences in hand-typed headers:
// spaces, line breaks (WPS headers often wrap), full-width parentheses and
// slashes, required-field stars, a trailing colon.
func normalizeHeader(s string) string {
	r := strings.NewReplacer("（", "(", "）", ")", "／", "/", "*", "", "＊", "", " ", "", "\u3000", "", "\n", "", "\r", "", "\t", "", "\u00a0", "", "：", "", ":", "")
	return r.Replace(strings.TrimSpace(s))
}

// headerKey returns the column key of a header cell, or "".
func headerKey(s string) string {
	return headerAliases[normalizeHeader(s)]
}
