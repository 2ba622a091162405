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
	{"activity.restore", "恢复台账"}, {"activity.import", "导入台账"}, {"activity.import_preview", "预览台账导入"}, {"doc.settings", "修改公文设置"}, {"rect.config", "修改整改设置"}, {"activity.seed", "载入示例台账"},
	{"activity.export", "导出台账"}, {"activity.template", "下载台账导入模板"},
	{"attachment.add", "上传附件"}, {"attachment.remove", "移除附件"}, {"attachment.download", "下载附件"},
	{"sso.provider", "修改第三方登录平台"}, {"sso.bind", "绑定第三方登录账号"}, {"auth.sso_unbound", "未绑定的第三方账号尝试登录"},
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
	"activity": "台账", "import_batch": "台账导入批次", "info": "信息稿", "rect": "整改事项", "report": "报告", "report_wording": "报告措辞",
	"user": "用户", "org": "组织", "unit": "单位", "plan_item": "学习计划项", "meeting": "会议", "sso_provider": "第三方登录平台", "rule": "督导规则",
	"settings": "系统设置", "ledger": "台账", "rollup": "督导汇总", "audit": "审计日志", "bulletin": "月通报",
	"lexicon": "筛查词库", "backup": "备份", "template": "导入模板", "attachment": "附件",
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
