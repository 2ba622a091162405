// Package channel is the 阵地 module's domain: the registry of a unit's
// channels (门户网站 and its columns, 公众号, 视频号, 微博, short-video
// accounts, 微信群, QQ群, 宣传栏, 展板, 阅览室), their 报备 history, the update
// rules with the national defaults (政府网站与政务新媒体检查指标, 国办秘函
// 〔2019〕19号; 政府网站发展指引, 国办发〔2017〕47号), and the single-veto
// evaluation a national inspection would make of the unit today.
//
// Everything here is pure: the clock, the check results and the rules are
// parameters, so the edges (13/14/15 days, 5 stale columns, 6 months) are
// table tests. The store keeps the rows, the service runs the automatic
// checks (internal/service/channels_check.go) and feeds their results here.
//
// "Channel" in this package always means a 阵地 (a publicity position the
// unit runs); the reminder delivery settings (提醒渠道) are notify's.
package channel

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"zhendi/internal/apperr"
	"zhendi/internal/cntime"
)

// Kind is a channel type.
type Kind string

// Channel types (issue 18 part 1).
const (
	Portal      Kind = "portal"       // 门户网站 (the unit's site or its homepage)
	Column      Kind = "column"       // 网站栏目
	WechatMP    Kind = "wechat_mp"    // 微信公众号
	WechatVideo Kind = "wechat_video" // 视频号
	Weibo       Kind = "weibo"        // 微博
	ShortVideo  Kind = "short_video"  // 抖音/快手号
	WechatGroup Kind = "wechat_group" // 微信群
	QQGroup     Kind = "qq_group"     // QQ群
	Board       Kind = "board"        // 宣传栏
	Panel       Kind = "panel"        // 展板
	Room        Kind = "room"         // 阅览室/活动室
	Other       Kind = "other"        // 其他
)

// Kinds lists the types in the order forms show them.
var Kinds = []Kind{Portal, Column, WechatMP, WechatVideo, Weibo, ShortVideo, WechatGroup, QQGroup, Board, Panel, Room, Other}

// Label is the type's Chinese name.
func (k Kind) Label() string {
	switch k {
	case Portal:
		return "门户网站"
	case Column:
		return "网站栏目"
	case WechatMP:
		return "微信公众号"
	case WechatVideo:
		return "视频号"
	case Weibo:
		return "微博"
	case ShortVideo:
		return "抖音/快手号"
	case WechatGroup:
		return "微信群"
	case QQGroup:
		return "QQ群"
	case Board:
		return "宣传栏"
	case Panel:
		return "展板"
	case Room:
		return "阅览室/活动室"
	case Other:
		return "其他"
	}
	return string(k)
}

// Code is the type's code (templates).
func (k Kind) Code() string { return string(k) }

// Valid reports whether k is a known type.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Web reports whether the channel is a web page zhendi may fetch itself
// (the unit's own site and columns).
func (k Kind) Web() bool { return k == Portal || k == Column }

// NewMedia reports whether the channel is a platform account (政务新媒体):
// judged by the 僵尸号 rule and checked by a person, since zhendi does not
// scrape platforms.
func (k Kind) NewMedia() bool {
	return k == WechatMP || k == WechatVideo || k == Weibo || k == ShortVideo
}

// Offline reports whether the channel is physical or a closed group, looked
// after through inspections only.
func (k Kind) Offline() bool {
	return k == Board || k == Panel || k == Room || k == WechatGroup || k == QQGroup
}

// KindByLabel finds a type by its code or Chinese name (imports).
func KindByLabel(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if string(k) == s || k.Label() == s {
			return k, true
		}
	}
	switch s {
	case "公众号", "微信公众平台":
		return WechatMP, true
	case "抖音", "快手", "抖音号", "快手号":
		return ShortVideo, true
	case "网站", "门户网":
		return Portal, true
	case "栏目":
		return Column, true
	case "阅览室", "活动室":
		return Room, true
	}
	return "", false
}

// Class is what a web column publishes, which decides its update rule.
type Class string

// Column classes of the 检查指标.
const (
	ClassNone     Class = ""         // not a column
	ClassNews     Class = "news"     // 动态要闻
	ClassNotice   Class = "notice"   // 通知公告
	ClassPolicy   Class = "policy"   // 政策文件
	ClassInteract Class = "interact" // 互动交流 (政务咨询、留言)
	ClassOther    Class = "other"    // 其他应更新栏目
)

// Classes lists the column classes.
var Classes = []Class{ClassNews, ClassNotice, ClassPolicy, ClassInteract, ClassOther}

// Label is the class's Chinese name.
func (c Class) Label() string {
	switch c {
	case ClassNews:
		return "动态要闻"
	case ClassNotice:
		return "通知公告"
	case ClassPolicy:
		return "政策文件"
	case ClassInteract:
		return "互动交流"
	case ClassOther:
		return "其他栏目"
	}
	return ""
}

// Code is the class's code (templates).
func (c Class) Code() string { return string(c) }

// ClassByLabel finds a class by code or name (imports).
func ClassByLabel(s string) (Class, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ClassNone, true
	}
	for _, c := range Classes {
		if string(c) == s || c.Label() == s {
			return c, true
		}
	}
	switch s {
	case "动态", "要闻", "工作动态":
		return ClassNews, true
	case "公告", "通知":
		return ClassNotice, true
	case "政策", "文件":
		return ClassPolicy, true
	case "互动", "留言", "咨询":
		return ClassInteract, true
	}
	return "", false
}

// Status of a channel.
type Status string

// Statuses: 运行, 暂停, 已关停.
const (
	Running Status = "running"
	Paused  Status = "paused"
	Closed  Status = "closed"
)

// Statuses lists them in form order.
var Statuses = []Status{Running, Paused, Closed}

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case Running:
		return "运行"
	case Paused:
		return "暂停"
	case Closed:
		return "已关停"
	}
	return string(s)
}

// Code is the status's code (templates).
func (s Status) Code() string { return string(s) }

// StatusByLabel finds a status by code or name (imports); "" is 运行.
func StatusByLabel(s string) (Status, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Running, true
	}
	for _, st := range Statuses {
		if string(st) == s || st.Label() == s {
			return st, true
		}
	}
	if s == "关停" || s == "停用" {
		return Closed, true
	}
	return "", false
}

// Method is how a channel's last update is found.
type Method string

// Check methods.
const (
	MethodFeed    Method = "feed"    // RSS/Atom
	MethodSitemap Method = "sitemap" // sitemap.xml lastmod
	MethodListing Method = "listing" // the column's listing page, dates read by the rule
	MethodManual  Method = "manual"  // a person looks and records the date
)

// Methods lists them in form order.
var Methods = []Method{MethodListing, MethodFeed, MethodSitemap, MethodManual}

// Label is the method's Chinese name.
func (m Method) Label() string {
	switch m {
	case MethodFeed:
		return "RSS/Atom 订阅"
	case MethodSitemap:
		return "站点地图（sitemap）"
	case MethodListing:
		return "栏目列表页"
	case MethodManual:
		return "人工检查"
	}
	return string(m)
}

// Code is the method's code (templates).
func (m Method) Code() string { return string(m) }

// Automatic reports whether zhendi checks with this method itself.
func (m Method) Automatic() bool { return m == MethodFeed || m == MethodSitemap || m == MethodListing }

// Channel is one 阵地 of a unit.
type Channel struct {
	ID       int64
	UnitID   int64
	OrgID    int64 // owning department; 0 = the unit itself
	OrgName  string
	ParentID int64 // a column's site
	Kind     Kind
	Class    Class // columns only
	Name     string
	URL      string // page address, for web channels
	Account  string // platform account id (公众号 微信号, 微博 id…) or group number
	// Location describes where an offline channel is (大厅一楼).
	Location        string
	ResponsibleID   int64
	ResponsibleName string
	ReviewerID      int64
	ReviewerName    string
	Purpose         string
	FilingDate      string // 报备日期 YYYY-MM-DD
	FilingNo        string // 报备编号
	Status          Status
	Method          Method
	FeedURL         string // feed or sitemap address when Method is feed/sitemap
	// DateRule is the listing-page extraction rule (see ParseDateRule).
	DateRule string
	// MessageRule reads an interaction column's messages (see
	// ParseMessageRule); "" = unanswered messages are recorded by hand.
	MessageRule string
	// LastUpdate is the newest publication date known (YYYY-MM-DD, "" = none).
	LastUpdate string
	// Items is how many dated items the last check saw (0 with a check = empty column).
	Items int
	// LastCheckAt is the last check's time (Unix; 0 = never).
	LastCheckAt int64
	LastCheckOK bool
	// CheckedBy is who made the last manual check (name), for accounts
	// without a feed.
	CheckedBy string
	// UnansweredSince is the date of the oldest valid message still
	// unanswered on an interaction column ("" = none), as last recorded.
	UnansweredSince string
	CreatedAt       int64
	UpdatedAt       int64
}

// Limits on text.
const (
	maxName = 100
	maxText = 500
)

// Validate checks a channel's fields; user errors name the field.
func (c *Channel) Validate() error {
	var errs apperr.Errors
	c.Name = strings.TrimSpace(c.Name)
	c.URL = strings.TrimSpace(c.URL)
	c.FeedURL = strings.TrimSpace(c.FeedURL)
	c.Account = strings.TrimSpace(c.Account)
	if c.Name == "" {
		errs = append(errs, apperr.Field("名称", "不能为空"))
	} else if utf8.RuneCountInString(c.Name) > maxName {
		errs = append(errs, apperr.Field("名称", "不能超过100字"))
	}
	if !c.Kind.Valid() {
		errs = append(errs, apperr.Field("类型", "请选择阵地类型"))
	}
	if c.Status == "" {
		c.Status = Running
	}
	if !slices.Contains(Statuses, c.Status) {
		errs = append(errs, apperr.Field("状态", "无效"))
	}
	if c.Kind == Column {
		if !slices.Contains(Classes, c.Class) {
			errs = append(errs, apperr.Field("栏目类别", "请选择栏目类别"))
		}
	} else {
		c.Class = ClassNone
	}
	if c.Method == "" {
		c.Method = MethodManual
		if c.Kind.Web() && c.URL != "" {
			c.Method = MethodListing
		}
	}
	if !slices.Contains(Methods, c.Method) {
		errs = append(errs, apperr.Field("检查方式", "无效"))
	}
	if c.Method.Automatic() && !c.Kind.Web() {
		errs = append(errs, apperr.Field("检查方式", "平台账号和线下阵地由专人检查，不自动抓取"))
	}
	if c.Kind.Web() && c.URL == "" {
		errs = append(errs, apperr.Field("网址", "网站和栏目须填写网址"))
	}
	for _, f := range []struct{ name, v string }{{"网址", c.URL}, {"订阅地址", c.FeedURL}} {
		if f.v == "" {
			continue
		}
		if u, err := url.Parse(f.v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, apperr.Field(f.name, "须是 http:// 或 https:// 开头的完整网址"))
		}
	}
	if (c.Method == MethodFeed || c.Method == MethodSitemap) && c.FeedURL == "" {
		errs = append(errs, apperr.Field("订阅地址", "按订阅或站点地图检查时须填写地址"))
	}
	if c.Method == MethodListing && c.DateRule != "" {
		if _, err := ParseDateRule(c.DateRule); err != nil {
			errs = append(errs, apperr.Field("日期提取规则", err.Error()))
		}
	}
	if c.MessageRule != "" {
		if c.Kind != Column || c.Class != ClassInteract {
			errs = append(errs, apperr.Field("留言提取规则", "只有互动交流类栏目可设留言提取规则"))
		} else if _, err := ParseMessageRule(c.MessageRule); err != nil {
			errs = append(errs, apperr.Field("留言提取规则", err.Error()))
		}
	}
	for _, d := range []struct{ name, v string }{{"报备日期", c.FilingDate}, {"最早未回复留言日期", c.UnansweredSince}, {"最近更新日期", c.LastUpdate}} {
		if d.v == "" {
			continue
		}
		if _, err := cntime.ParseDate(d.v); err != nil {
			errs = append(errs, apperr.Field(d.name, "日期格式应为 2024-01-31"))
		}
	}
	for _, f := range []struct{ name, v string }{{"用途", c.Purpose}, {"位置", c.Location}, {"账号", c.Account}, {"报备编号", c.FilingNo}} {
		if utf8.RuneCountInString(f.v) > maxText {
			errs = append(errs, apperr.Field(f.name, "不能超过500字"))
		}
	}
	if c.ResponsibleID == 0 {
		errs = append(errs, apperr.Field("责任人", "请选择责任人"))
	}
	return errs.OrNil()
}

// Errors the store returns for people and places outside the unit.
var (
	ErrPersonNotInUnit = apperr.Field("责任人", "不是本单位人员")
	ErrReviewerNotUnit = apperr.Field("审核人", "不是本单位人员")
	ErrOrgNotInUnit    = apperr.Field("所属科室", "不属于本单位")
	ErrParentNotSite   = apperr.Field("所属网站", "不是本单位登记的门户网站")
)
