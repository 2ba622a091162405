package channel

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Inspections (网络安全排查 and 阵地检查): a checklist per kind, editable per
// unit, run once a period (a quarter by default); each item gets a result,
// evidence files and photos; the inspector and the responsible person sign
// it off. A failed item becomes a rectification item with its channel.

// InspKind is the kind of inspection.
type InspKind string

// Inspection kinds.
const (
	Security InspKind = "security" // 网络安全排查
	Position InspKind = "position" // 阵地检查
)

// InspKinds lists them.
var InspKinds = []InspKind{Security, Position}

// Label is the kind's Chinese name.
func (k InspKind) Label() string {
	switch k {
	case Security:
		return "网络安全排查"
	case Position:
		return "阵地检查"
	}
	return string(k)
}

// Code is the kind's code (templates).
func (k InspKind) Code() string { return string(k) }

// Valid reports whether k is known.
func (k InspKind) Valid() bool { return slices.Contains(InspKinds, k) }

// Automatic check an item can have, re-run when its rectification closes.
const (
	AutoFresh = "fresh" // the linked channel is within its update limit
	AutoReach = "reach" // the linked channel's page opens
)

// AutoLabel names an automatic check.
func AutoLabel(a string) string {
	switch a {
	case AutoFresh:
		return "自动核对更新"
	case AutoReach:
		return "自动核对可访问"
	}
	return ""
}

// ChecklistItem is one item of a unit's checklist. Kinds limits it to the
// channels of those types (one inspection item per such channel); without
// Kinds it is one item for the unit.
type ChecklistItem struct {
	ID     int64
	UnitID int64
	Kind   InspKind
	Text   string
	Kinds  []Kind
	Auto   string
	Sort   int
}

// AutoField packs Kinds and Auto for storage ("board,panel|fresh").
func (it ChecklistItem) AutoField() string {
	ks := make([]string, len(it.Kinds))
	for i, k := range it.Kinds {
		ks[i] = string(k)
	}
	return strings.Join(ks, ",") + "|" + it.Auto
}

// ParseAutoField unpacks AutoField.
func ParseAutoField(s string) ([]Kind, string) {
	ks, auto, _ := strings.Cut(s, "|")
	var out []Kind
	for _, k := range strings.Split(ks, ",") {
		if Kind(k).Valid() {
			out = append(out, Kind(k))
		}
	}
	return out, auto
}

// KindsLabel lists the item's channel types ("全单位" when none).
func (it ChecklistItem) KindsLabel() string {
	if len(it.Kinds) == 0 {
		return "全单位"
	}
	var ls []string
	for _, k := range it.Kinds {
		ls = append(ls, k.Label())
	}
	return strings.Join(ls, "、")
}

// Validate checks an item's text and types.
func (it *ChecklistItem) Validate() error {
	var errs apperr.Errors
	it.Text = strings.TrimSpace(it.Text)
	if it.Text == "" {
		errs = append(errs, apperr.Field("检查内容", "不能为空"))
	} else if utf8.RuneCountInString(it.Text) > 300 {
		errs = append(errs, apperr.Field("检查内容", "不能超过300字"))
	}
	if !it.Kind.Valid() {
		errs = append(errs, apperr.Field("检查类别", "无效"))
	}
	if it.Auto != "" && it.Auto != AutoFresh && it.Auto != AutoReach {
		errs = append(errs, apperr.Field("自动核对", "无效"))
	}
	return errs.OrNil()
}

var web = []Kind{Portal, Column}
var media = []Kind{WechatMP, WechatVideo, Weibo, ShortVideo}
var groups = []Kind{WechatGroup, QQGroup}

// DefaultChecklist is the checklist a unit starts with: account security,
// the administrator list, two-factor login, content review records,
// group-chat rules, and the upkeep of offline channels.
func DefaultChecklist(k InspKind) []ChecklistItem {
	var out []ChecklistItem
	add := func(text string, kinds []Kind, auto string) {
		out = append(out, ChecklistItem{Kind: k, Text: text, Kinds: kinds, Auto: auto, Sort: len(out) + 1})
	}
	switch k {
	case Security:
		add("账号密码符合复杂度要求并定期更换，离岗人员账号已注销或收回", nil, "")
		add("管理员名单清楚、权限最小，与实际在岗人员一致", nil, "")
		add("后台登录启用双因素认证（短信、令牌或数字证书）", append(slices.Clone(web), media...), "")
		add("发布内容有三审三校记录，审核人与撰写人分离", append(slices.Clone(web), media...), "")
		add("网站可正常访问，未被篡改、挂马，无错链死链", web, AutoReach)
		add("账号绑定的手机号、邮箱为单位公用，登录设备可控", media, "")
		add("重要数据有备份，终端安装防病毒软件并及时更新", nil, "")
	case Position:
		add("网站栏目按规则更新，无超期未更新栏目和空白栏目", []Kind{Column}, AutoFresh)
		add("政务新媒体两周内有更新，无僵尸号；开设、更名、关停已报备", media, "")
		add("工作群有管理规定，群主和管理员明确，群内转发信息经审核", groups, "")
		add("宣传栏内容按期更换，版面完好、无过时内容", []Kind{Board}, "")
		add("展板内容准确、及时更换，无破损", []Kind{Panel}, "")
		add("阅览室/活动室开放有序，报刊图书及时更新，有管理记录", []Kind{Room}, "")
		add("阵地责任人、审核人明确，台账与实际一致", nil, "")
	}
	return out
}

// Results of an inspection item.
const (
	ResultPass = "pass"
	ResultFail = "fail"
	ResultNA   = "na"
)

// ResultLabel names a result.
func ResultLabel(r string) string {
	switch r {
	case ResultPass:
		return "合格"
	case ResultFail:
		return "不合格"
	case ResultNA:
		return "不适用"
	}
	return "未检查"
}

// Inspection is one run of a checklist.
type Inspection struct {
	ID            int64
	UnitID        int64
	Kind          InspKind
	Period        string // 2024Q1
	Due           string // the last day to finish it
	InspectorID   int64
	InspectorName string
	InspectorAt   int64
	RespID        int64
	RespName      string
	RespAt        int64
	Note          string
	CreatedAt     int64
	Items         []InspItem
	Files         []InspFile
}

// InspItem is one item of an inspection, for one channel or the unit.
type InspItem struct {
	ID           int64
	InspectionID int64
	ChannelID    int64
	ChannelName  string
	Text         string
	Auto         string
	Sort         int
	Result       string
	Note         string
	RectID       int64
	Recheck      string
	RecheckAt    int64
}

// ResultLabel is the item's result in Chinese.
func (it InspItem) ResultLabel() string { return ResultLabel(it.Result) }

// InspFile is an evidence file or photo of an inspection (of one item
// when ItemID is set).
type InspFile struct {
	ID           int64
	InspectionID int64
	ItemID       int64
	Name         string
	Mime         string
	Size         int64
	SHA256       string
	CreatedAt    int64
}

// Image reports whether the file is a photo (shown inline).
func (f InspFile) Image() bool { return strings.HasPrefix(f.Mime, "image/") }

// Quarter is the period label of a day's quarter ("2024Q1") and its last
// day.
func Quarter(t time.Time) (string, string) {
	t = t.In(cntime.Zone)
	q := (int(t.Month())-1)/3 + 1
	end := time.Date(t.Year(), time.Month(q*3)+1, 0, 0, 0, 0, 0, cntime.Zone)
	return fmt.Sprintf("%dQ%d", t.Year(), q), cntime.Date(end)
}

// PeriodLabel is "2024年第1季度" for "2024Q1".
func PeriodLabel(p string) string {
	var y, q int
	if n, _ := fmt.Sscanf(p, "%dQ%d", &y, &q); n == 2 {
		return fmt.Sprintf("%d年第%d季度", y, q)
	}
	return p
}

// ParsePeriod checks a period label and returns its last day.
func ParsePeriod(p string) (string, error) {
	var y, q int
	if n, _ := fmt.Sscanf(p, "%dQ%d", &y, &q); n != 2 || q < 1 || q > 4 || y < 2000 || y > 2100 || fmt.Sprintf("%dQ%d", y, q) != p {
		return "", apperr.Field("检查期间", "格式应为 2024Q1")
	}
	_, end := Quarter(time.Date(y, time.Month(q*3), 1, 0, 0, 0, 0, cntime.Zone))
	return end, nil
}

// Expand turns checklist items into an inspection's items: one per
// running channel of the item's types (none when the unit has none of
// them), or one for the unit.
func Expand(list []ChecklistItem, chs []Channel) []InspItem {
	var out []InspItem
	for _, it := range list {
		if len(it.Kinds) == 0 {
			out = append(out, InspItem{Text: it.Text, Auto: "", Sort: len(out) + 1})
			continue
		}
		for _, c := range chs {
			if c.Status == Closed || !slices.Contains(it.Kinds, c.Kind) {
				continue
			}
			auto := it.Auto
			if auto != "" && !c.Method.Automatic() {
				auto = "" // a person looks; nothing to re-check automatically
			}
			out = append(out, InspItem{ChannelID: c.ID, ChannelName: c.Name, Text: it.Text, Auto: auto, Sort: len(out) + 1})
		}
	}
	return out
}

// Progress counts an inspection's items with a result and failed ones.
func (in Inspection) Progress() (done, failed int) {
	for _, it := range in.Items {
		if it.Result != "" {
			done++
		}
		if it.Result == ResultFail {
			failed++
		}
	}
	return
}

// Signed reports whether both have signed.
func (in Inspection) Signed() bool { return in.InspectorAt != 0 && in.RespAt != 0 }

// Overdue reports whether the inspection is past its due day unsigned.
func (in Inspection) Overdue(today string) bool { return !in.Signed() && today > in.Due }

// Sign checks a signature: the inspector first, once every item has a
// result; then the responsible person named on the inspection (someone
// other than the inspector). It returns which signature the user gives
// ("inspector" or "resp").
func (in Inspection) Sign(userID int64) (string, error) {
	done, _ := in.Progress()
	switch {
	case in.Signed():
		return "", apperr.Rule("该次检查已签字确认")
	case in.InspectorAt == 0:
		if userID != in.InspectorID {
			return "", apperr.Rule("须先由检查人" + in.InspectorName + "签字")
		}
		if done < len(in.Items) {
			return "", apperr.Rule(fmt.Sprintf("还有 %d 项未登记检查结果，检查人不能签字", len(in.Items)-done))
		}
		return "inspector", nil
	default:
		if userID != in.RespID {
			return "", apperr.Rule("须由责任人" + in.RespName + "签字确认")
		}
		return "resp", nil
	}
}

// Validate checks a new inspection.
func (in *Inspection) Validate() error {
	var errs apperr.Errors
	if !in.Kind.Valid() {
		errs = append(errs, apperr.Field("检查类别", "无效"))
	}
	if due, err := ParsePeriod(in.Period); err != nil {
		errs = append(errs, err.(*apperr.Error))
	} else if in.Due == "" {
		in.Due = due
	}
	if in.InspectorID == 0 {
		errs = append(errs, apperr.Field("检查人", "请选择检查人"))
	}
	if in.RespID == 0 {
		errs = append(errs, apperr.Field("责任人", "请选择签字确认的责任人"))
	} else if in.RespID == in.InspectorID {
		errs = append(errs, apperr.Field("责任人", "须与检查人不同"))
	}
	return errs.OrNil()
}

// CanRecord reports whether results may still be changed (not signed by
// the inspector).
func (in Inspection) CanRecord() bool { return in.InspectorAt == 0 }

// FailedCount is the number of failed items (templates).
func (in Inspection) FailedCount() int { _, f := in.Progress(); return f }

// DoneCount is the number of items with a result (templates).
func (in Inspection) DoneCount() int { d, _ := in.Progress(); return d }
