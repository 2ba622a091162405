package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"zhendi/internal/assess"
	"zhendi/internal/audit"
	"zhendi/internal/channel"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/incident"
	"zhendi/internal/ledger"
	"zhendi/internal/notify"
	"zhendi/internal/org"
	"zhendi/internal/supervise"
)

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":        func(name string) string { return s.assetURL[name] },
		"fdate":        ledger.FormatDate,
		"funix":        fmtUnix,
		"typeLabel":    func(code string) string { t, _ := ledger.TypeByCode(code); return t.Label },
		"typeShort":    func(code string) string { t, _ := ledger.TypeByCode(code); return t.ShortLabel() },
		"typeOf":       func(code string) ledger.Type { t, _ := ledger.TypeByCode(code); return t },
		"topicLabel":   ledger.TopicLabel,
		"roleLabel":    func(r access.Role) string { return r.Label() },
		"kindLabel":    org.KindLabel,
		"join":         strings.Join,
		"add":          func(a, b int) int { return a + b },
		"div":          func(a, b int) int { return a / max(b, 1) },
		"fdateUnix":    func(sec int64) string { return cntime.Date(time.Unix(sec, 0)) },
		"fdateUnixEnd": func(sec int64) string { return cntime.Date(time.Unix(sec-1, 0)) },
		"snippet": func(s string, n int) string {
			if r := []rune(s); len(r) > n {
				return string(r[:n]) + "…"
			}
			return s
		},
		// titlelines breaks a document title between words as the Word
		// file does (docx.TitleLines), keeping the unit's name whole.
		"titlelines": func(title, unit string) []string { return docx.TitleLines(title, []string{unit}) },
		"when":       inZone,
		"hm":         func(t time.Time) string { return t.In(cntime.Zone).Format("15:04") },
		"pct": func(n, d int) string {
			if d == 0 {
				return "—"
			}
			return fmt.Sprintf("%.1f%%", float64(n)*100/float64(d))
		},
		"has": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
		"hasID": func(list []int64, id int64) bool {
			for _, x := range list {
				if x == id {
					return true
				}
			}
			return false
		},
		"indent": func(depth int) string { return strings.Repeat("　", max(depth, 0)) },
		"size": func(n int64) string {
			switch {
			case n >= 1<<20:
				return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
			case n >= 1<<10:
				return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
			}
			return fmt.Sprintf("%d 字节", n)
		},
		"query": func(base string, kv ...any) string {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(fmt.Sprint(kv[i]), fmt.Sprint(kv[i+1]))
			}
			return base + "?" + v.Encode()
		},
		"seq": func(a, b int) []int {
			var out []int
			for i := a; i <= b; i++ {
				out = append(out, i)
			}
			return out
		},
		"fmicro":      func(us int64) string { return cntime.DateTime(time.UnixMicro(us)) },
		"actionLabel": actionLabel,
		"lines":       func(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") },
		// supervision
		"subjectLabel": supervise.SubjectLabel,
		"periodLabel":  supervise.PeriodLabel,
		"rectStatus":   supervise.RectStatusLabel,
		"rectSource":   supervise.RectSourceLabel,
		"channelLabel": notify.ChannelLabel,
		"quarterLabel": channel.PeriodLabel, // 阵地 quarters (2024Q1)
		// information submission
		"daysLeft": daysLeftText,
		"hasRole":  func(list []access.Role, r access.Role) bool { return slices.Contains(list, r) },
		// assessment and accountability (考核问责)
		"num":        assess.Num,
		"deref":      func(p *float64) float64 { return *p },
		"stateLabel": assess.StateLabel,
		"byLabel":    assessByLabel,
		"dutyRole":   assess.DutyRoleLabel,
		"inclLabel":  assess.InclusionLabel,
		"situation":  assess.SituationLabel,
		"ruleLabel":  assess.RuleLabel,
		"seesCases":  seesCases,
		// 舆情 (opweb)
		"incidentLevel": incident.LevelLabel,
		"incidentStep":  incident.StepLabel,
		"opDay": func(day int64) string {
			return ledger.FormatDate(time.Unix(dayStart(day), 0).In(cntime.Zone).Format(cntime.DateLayout))
		},
		"clipText": clipRunes,
	}
}

// loadTemplates parses each page together with the shared layout.
func (s *Server) loadTemplates() error {
	s.pages = map[string]*template.Template{}
	base, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(assets, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(assets, f)
		if err != nil {
			return fmt.Errorf("parse %s: %w", f, err)
		}
		s.pages[name] = t
	}
	return nil
}

// page is the data every template gets.
type page struct {
	Title string
	User  *org.User
	Scope access.Scope
	CSRF  string
	Flash string
	Nav   string
	// Unread is the user's unread notification count for the top bar.
	Unread int
	// Tasks is how many tasks wait for the user (待办, see service.Tasks).
	Tasks int
	Data  map[string]any
	Now   time.Time
	// Charts loads ECharts and chart.js: set when the data has "Charts".
	Charts bool
	// Mobile renders the phone layout (a short top bar): set when the data
	// has "Mobile": true.
	Mobile bool
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, c *reqCtx, name string, data map[string]any) {
	s.renderStatus(w, r, c, http.StatusOK, name, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, name string, data map[string]any) {
	t, ok := s.pages[name]
	if !ok {
		http.Error(w, "missing template "+name, http.StatusInternalServerError)
		return
	}
	p := page{Data: data, Now: s.now().In(cntime.Zone)}
	_, p.Charts = data["Charts"]
	p.Mobile = data["Mobile"] == true
	if title, ok := data["Title"].(string); ok {
		p.Title = title
	}
	if nav, ok := data["Nav"].(string); ok {
		p.Nav = nav
	}
	if c != nil {
		p.User, p.Scope, p.CSRF = &c.user, c.scope, c.csrf
		p.Flash = c.flash
		if n, err := s.st.UnreadNotifications(r.Context(), c.user.ID); err == nil {
			p.Unread = n
		}
		if n, err := s.svc.TaskCount(r.Context(), c.user, c.scope); err == nil {
			p.Tasks = n
		} else {
			s.log.Warn("task count", "user", c.user.ID, "err", err)
		}
	}
	if f := r.URL.Query().Get("ok"); f != "" && p.Flash == "" {
		p.Flash = flashText(f)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "页面渲染出错", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// daysLeftText says how far a deadline is: "今日截止", "还有 3 天",
// "已逾期 2 天".
func daysLeftText(days int) string {
	switch {
	case days == 0:
		return "今日截止"
	case days > 0:
		return fmt.Sprintf("还有 %d 天", days)
	}
	return fmt.Sprintf("已逾期 %d 天", -days)
}

// flashText turns a short code from a redirect into a message, so messages
// never travel as free text in URLs.
func flashText(code string) string {
	switch code {
	case "saved":
		return "已保存。"
	case "deleted_rule":
		return "规则已删除。"
	case "meeting_announced":
		return "会议通知已发出，参会人员会收到通知。"
	case "photo":
		return "照片已上传，以服务器收到的时间为准。"
	case "signed_in":
		return "签到成功。"
	case "signed_in_before":
		return "您已签到，无需重复签到。"
	case "confirmed":
		return "已确认会议纪要。"
	case "created":
		return "已登记。"
	case "deleted":
		return "已删除，可在回收站中恢复。"
	case "restored":
		return "已恢复。"
	case "uploaded":
		return "附件已上传。"
	case "password":
		return "密码已修改。"
	case "reset":
		return "密码已重置，该用户下次登录须修改密码。"
	case "unlocked":
		return "账户已解锁。"
	case "approved":
		return "报告已审批。"
	case "info_submitted":
		return "已提交审核。"
	case "info_withdrawn":
		return "已撤回。"
	case "info_deleted":
		return "草稿已删除。"
	case "info_approve":
		return "已审核通过。"
	case "info_return":
		return "已退回撰写人修改。"
	case "info_proof":
		return "校对已记录。"
	case "info_override":
		return "已放行，理由已记录。"
	case "info_edit", "info_replaced":
		return "正文已修改。"
	case "info_published":
		return "发布/采用已登记。"
	case "info_imported":
		return "词库已导入。"
	// 阵地 (channels)
	case "checked":
		return "检查已完成，结果见下。"
	case "imported":
		return "阵地已导入。"
	case "signed":
		return "已签字确认。"
	// Opinion pipeline (issue 17, oppipe).
	case "source_deleted":
		return "来源已删除，已入库的信息保留。"
	case "scheme_deleted":
		return "方案已删除，已有的命中和事件保留。"
	case "retired":
		return "该项督导规则已停用，此前各期仍按原规则评价。"
	}
	return ""
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// actionLabel names audit actions in Chinese (audit.ActionLabel).
func actionLabel(a string) string { return audit.ActionLabel(a) }
