package audit

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// actions names every action the code writes, in Chinese, in the order the
// audit page's filter lists them. TestEveryActionLabelled keeps it complete.
var actions = []struct{ Code, Label string }{
	{"auth.login", "登录"}, {"auth.login_failed", "登录失败"}, {"auth.login_locked", "锁定期间尝试登录"},
	{"auth.logout", "退出"}, {"auth.timeout", "超时退出"},
	{"user.create", "新增用户"}, {"user.update", "修改用户"}, {"user.password_change", "修改密码"},
	{"user.password_reset", "重置密码"}, {"user.unlock", "解除锁定"},
	{"org.create", "新增组织"}, {"org.update", "修改组织"},
	{"settings.security", "修改安全设置"}, {"settings.backup", "修改备份设置"},
	{"activity.create", "登记台账"}, {"activity.update", "修改台账"}, {"activity.delete", "删除台账"},
	{"activity.restore", "恢复台账"}, {"activity.import", "导入台账"}, {"activity.import_preview", "预览台账导入"}, {"doc.settings", "修改公文设置"}, {"doc.number", "编发文字号"}, {"rect.config", "修改整改设置"}, {"activity.seed", "载入示例台账"},
	{"activity.export", "导出台账"}, {"activity.template", "下载台账导入模板"},
	{"attachment.add", "上传附件"}, {"attachment.remove", "移除附件"}, {"attachment.download", "下载附件"},
	{"sso.provider", "修改第三方登录平台"}, {"sso.bind", "绑定第三方登录账号"}, {"sso.bind_mobile", "按手机号自动绑定第三方登录账号"}, {"meeting.settings", "修改会议签到设置"}, {"auth.sso_unbound", "未绑定的第三方账号尝试登录"},
	{"meeting.create", "发布会议通知"}, {"meeting.signin", "会议签到"}, {"meeting.mark", "手工标记到会"},
	{"meeting.minutes", "发布会议纪要"}, {"meeting.confirm", "确认会议纪要"}, {"meeting.photo", "上传会议照片"},
	{"meeting.photo_download", "查看会议照片"}, {"meeting.record", "会议登记台账"}, {"meeting.cancel", "取消会议"},
	{"plan.create", "新增学习计划项"}, {"plan.update", "修改学习计划项"}, {"plan.delete", "删除学习计划项"},
	{"rule.create", "新增督导规则版本"}, {"rule.close", "督导规则版本截止"}, {"rule.replace", "替换当日督导规则"},
	{"rule.retire", "停用督导规则"},
	{"notify.settings", "修改提醒渠道"}, {"notify.contacts", "修改提醒邮箱"},
	{"supervise.export", "导出督导汇总"}, {"supervise.circular", "下载督导通报"},
	{"rect.create", "登记整改问题"}, {"rect.update", "修改整改事项"}, {"rect.start", "开始整改"},
	{"rect.submit", "提交验收"}, {"rect.verify", "验收销号"}, {"rect.reject", "退回整改"},
	{"rect.file", "上传整改佐证"}, {"rect.file.download", "下载整改佐证"}, {"rect.export", "导出整改台账"},
	{"report.save", "保存报告"}, {"report.approve", "审批报告"}, {"report.wording", "修改报告措辞"},
	{"report.export", "下载报告"},
	{"info.create", "新建信息稿"}, {"info.update", "修改信息稿"}, {"info.delete", "删除信息稿"},
	{"info.submit", "提交审核"}, {"info.approve", "审核通过"}, {"info.return", "退回修改"},
	{"info.edit", "审核中修改正文"}, {"info.proof", "校对（三校）"}, {"info.override", "放行筛查问题"},
	{"info.withdraw", "撤回稿件"}, {"info.publish", "登记发布"}, {"info.adopt", "登记采用"},
	{"info.publication.remove", "删除发布采用记录"}, {"info.image.add", "插入图片"},
	{"info.config", "修改审核流程设置"}, {"info.quota", "修改报送任务数"}, {"info.seed", "载入示例信息稿"},
	{"info.terms.save", "保存筛查词"}, {"info.terms.delete", "删除筛查词"}, {"info.terms.export", "导出筛查词库"},
	{"info.bulletin.export", "下载信息编发月通报"},
	{"audit.genesis", "启用密钥审计链"}, {"audit.checkpoint_missing", "检查点文件缺失，重新建立"},
	{"audit.export", "导出审计日志"},
	{"system.backup", "自动备份"}, {"system.restore", "从备份恢复"},
	{"perf.users", "生成性能测试数据"},
	// 阵地 (issue 18)
	{"channel.create", "登记阵地"}, {"channel.update", "修改阵地"}, {"channel.manual_check", "登记阵地人工检查"}, {"channel.message_rule", "修改留言提取规则"},
	{"channel.file", "补登阵地报备"}, {"channel.rule", "修改阵地更新规则"}, {"channel.import", "导入阵地台账"},
	{"channel.export", "导出阵地台账"}, {"channel.check", "阵地自动检查发现或消除问题"}, {"channel.finding", "登记阵地问题"},
	{"channel.recheck", "整改销号后自动复查"}, {"channel.checklist", "修改检查清单"}, {"channel.inspection.create", "新建检查排查"},
	{"channel.inspection.result", "登记检查结果"}, {"channel.inspection.sign", "检查排查签字确认"}, {"channel.inspection.file", "上传检查佐证"},
	{"channel.inspection.file.download", "下载检查佐证"}, {"channel.report.export", "下载阵地报告"},
	// 舆情处置, alerts and reports (opweb)
	{"incident.create", "启动舆情处置"}, {"incident.update", "修改舆情处置"}, {"incident.step", "办理舆情处置环节"},
	{"incident.file", "上传处置材料"}, {"incident.file.download", "下载处置材料"}, {"incident.export", "导出舆情处置台账"},
	{"opinion.alert_rules", "修改舆情预警规则"}, {"opinion.report.export", "下载舆情报告"},
	// Opinion pipeline (issue 17, oppipe).
	{"opinion.source.create", "新增舆情来源"}, {"opinion.source.update", "修改舆情来源"}, {"opinion.source.delete", "删除舆情来源"},
	{"opinion.intake", "采集舆情信息"}, {"opinion.import", "导入舆情信息"}, {"opinion.import_preview", "预览舆情信息导入"}, {"opinion.purge", "清理过期舆情信息"},
	{"opinion.retention", "修改舆情保存期限"}, {"opinion.lexicon.save", "导入本单位情感词表"}, {"opinion.lexicon.delete", "删除本单位情感词表"},
	{"opinion.scheme.create", "新增监测方案"}, {"opinion.scheme.update", "修改监测方案"}, {"opinion.scheme.delete", "删除监测方案"},
	{"opinion.event.merge", "合并舆情事件"}, {"opinion.event.split", "拆分舆情事件"},
	// 考核问责 (module 8)
	{"org.fenguan", "修改分管科室"},
	{"assess.duty.create", "新增责任清单项"}, {"assess.duty.update", "修改责任清单项"}, {"assess.duty.delete", "删除责任清单项"},
	{"assess.inclusion", "确认“五个纳入”"}, {"assess.debrief.create", "登记述职和测评"}, {"assess.debrief.update", "修改述职和测评"},
	{"assess.tree.create", "新建考核细则"}, {"assess.tree.update", "修改考核细则设置"}, {"assess.tree.indicator", "保存考核指标"},
	{"assess.tree.indicator_delete", "删除考核指标"}, {"assess.tree.publish", "发布考核细则"},
	{"assess.self", "考核自评"}, {"assess.review", "考核审核评分"}, {"assess.submit", "提交考核自评"}, {"assess.return", "退回考核自评"},
	{"assess.finish", "完成考核审核"}, {"assess.publish", "发布考核结果"}, {"assess.freeze", "冻结考核结果"},
	{"assess.case.list", "查看问责案件列表"}, {"assess.case.view", "查看问责案件"}, {"assess.case.create", "登记问责案件"}, {"assess.case.update", "修改问责案件"},
	{"assess.case.file", "上传问责案件佐证材料"}, {"assess.case.file.download", "下载问责案件佐证材料"}, {"assess.cadre.view", "查看干部考察记录"}, {"assess.cadre.save", "记录干部考察结果"}, {"assess.situation.save", "修改本单位问责情形"},
	{"assess.export", "下载考核通报"}, {"assess.duty.export", "导出责任清单"},
}

// Action is one action for the audit page's filter.
type Action struct{ Code, Label string }

// Actions lists every known action with its Chinese label.
func Actions() []Action {
	out := make([]Action, len(actions))
	for i, a := range actions {
		out[i] = Action(a)
	}
	return out
}

// ActionLabel is the Chinese name of an action; an unknown code is shown
// as “其他操作（code）” so nothing is hidden.
func ActionLabel(code string) string {
	for _, a := range actions {
		if a.Code == code {
			return a.Label
		}
	}
	return "其他操作（" + code + "）"
}

// KnownAction reports whether code has a label.
func KnownAction(code string) bool {
	return slices.ContainsFunc(actions, func(a struct{ Code, Label string }) bool { return a.Code == code })
}

var objects = map[string]string{
	"activity": "台账", "import_batch": "导入批次", "info": "信息稿", "rect": "整改事项", "report": "报告", "report_wording": "报告措辞",
	"user": "用户", "org": "组织", "unit": "单位", "plan_item": "学习计划项", "meeting": "会议", "sso_provider": "第三方登录平台", "rule": "督导规则",
	"settings": "系统设置", "ledger": "台账", "rollup": "督导汇总", "audit": "审计日志", "bulletin": "月通报",
	"lexicon": "筛查词库", "backup": "备份", "template": "导入模板", "attachment": "附件", "doc_number": "发文字号",
	"channel": "阵地", "channel_inspection": "检查排查",
	// Opinion pipeline (issue 17, oppipe).
	"opinion_source": "舆情来源", "opinion_lexicon": "本单位情感词表", "opinion_item": "舆情信息", "opinion_scheme": "监测方案", "opinion_event": "舆情事件", "setting": "系统设置",
	"duty": "责任清单项", "inclusion": "五个纳入", "debrief": "述职", "tree": "考核细则", "assessment": "考核", "case": "问责案件",
	// 舆情处置, alerts and reports (opweb).
	"incident": "舆情处置", "opinion_alert_rule": "舆情预警规则", "opinion_report": "舆情报告",
}

// ObjectLabel is the Chinese name of an object type (“对象” if unknown).
func ObjectLabel(objType string) string {
	if l, ok := objects[objType]; ok {
		return l
	}
	if objType == "" {
		return ""
	}
	return "对象（" + objType + "）"
}

// KnownObject reports whether objType has a label.
func KnownObject(objType string) bool { _, ok := objects[objType]; return ok }

// ObjectName is what the entry's object is called: its label and the
// title, name or topic recorded in the entry's snapshot, else its number:
// “台账 中心组学习”, “用户 张三”, “信息稿（编号 12）”.
func (e Entry) ObjectName() string {
	label := ObjectLabel(e.ObjectType)
	if label == "" {
		return ""
	}
	for _, snap := range []string{e.After, e.Before} {
		if name := nameIn(snap); name != "" {
			return label + " " + name
		}
	}
	if e.ObjectID != 0 {
		return label + "（编号 " + strconv.FormatInt(e.ObjectID, 10) + "）"
	}
	return label
}

// nameIn finds a title-like field in a JSON snapshot.
func nameIn(snap string) string {
	if !strings.HasPrefix(snap, "{") {
		return ""
	}
	var m map[string]any
	if json.Unmarshal([]byte(snap), &m) != nil {
		return ""
	}
	for _, k := range []string{"title", "Title", "name", "Name", "topic", "Topic", "term", "kind", "username", "Username"} {
		if v, ok := m[k].(string); ok && v != "" {
			r := []rune(v)
			if len(r) > 40 {
				v = string(r[:40]) + "…"
			}
			return v
		}
	}
	return ""
}

// IDRanges writes ids compactly for an import's log entry: sorted, runs of
// consecutive ids as “first-last”, e.g. “101-150,155”.
func IDRanges(ids []int64) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	s = slices.Compact(s)
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(s[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(s[j], 10))
		}
		i = j + 1
	}
	return b.String()
}
