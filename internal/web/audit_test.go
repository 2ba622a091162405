package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/org"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// auditors adds an auditor to unit A and one to unit B, and a district with
// its own (installation-level) auditor above both units.
func auditors(t *testing.T, st *store.Store, f twoUnits) (a, b, inst org.User) {
	t.Helper()
	ctx := context.Background()
	district := org.Node{Kind: org.District, Name: "示范区"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.CreateNode(ctx, store.System, &district))
	a = org.User{OrgID: f.unitA.ID, Username: "audita", Name: "甲审计", Grants: []access.Grant{{Role: access.Auditor, OrgID: f.unitA.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &a, pw))
	b = org.User{OrgID: f.unitB.ID, Username: "auditb", Name: "乙审计", Grants: []access.Grant{{Role: access.Auditor, OrgID: f.unitB.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &b, pw))
	inst = org.User{OrgID: district.ID, Username: "auditq", Name: "区审计", Grants: []access.Grant{{Role: access.Auditor, OrgID: district.ID}}}
	must(svcOf(st).CreateUser(ctx, store.System, &inst, pw))
	return a, b, inst
}

// TestAuditPageForAuditors: labels instead of codes, filters, export
// (itself logged), and failed logins under unknown names shown masked and
// to the installation's auditor only.
func TestAuditPageForAuditors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		_, _, _ = auditors(t, st, f)
		// A password typed into the name field, and a wrong password for clerka.
		e.client().login("Secret-Pass-2023", "x")
		e.client().login("clerka", "wrong-password1")
		clerk := e.client()
		clerk.mustLogin("clerka")
		if code, _ := clerk.get("/audit"); code != http.StatusForbidden {
			t.Fatalf("clerk opened the audit page: %d", code)
		}
		if code, _ := clerk.get("/audit/export.xlsx"); code != http.StatusForbidden {
			t.Fatalf("clerk exported the audit log: %d", code)
		}

		a := e.client()
		a.mustLogin("audita")
		code, body := a.get("/audit")
		if code != 200 {
			t.Fatalf("audit page: %d", code)
		}
		for _, want := range []string{"登录失败", "张专干", "用户 张专干", "甲局", "180 天"} {
			if !strings.Contains(body, want) {
				t.Errorf("audit page lacks %q", want)
			}
		}
		for _, raw := range []string{">auth.", ">user.", "user #", "#" + fmt.Sprint(f.clerkA.ID), "Secret-Pass", "S***", "乙局"} {
			if strings.Contains(body, raw) {
				t.Errorf("unit auditor's page shows %q", raw)
			}
		}
		// Filters: a date range with nothing in it, the operator, a bad date.
		if _, body := a.get("/audit?from=2023-07-06&to=2023-07-31"); !strings.Contains(body, "没有符合条件的记录") {
			t.Error("date range filter kept entries outside it")
		}
		_, body = a.get(fmt.Sprintf("/audit?actor=%d", f.clerkA.ID))
		if !strings.Contains(body, "张专干") || strings.Contains(body, "甲审计</a>") {
			t.Error("operator filter")
		}
		if _, body := a.get("/audit?action=auth.login_failed"); !strings.Contains(body, "登录失败") || strings.Contains(body, ">登录</a>") {
			t.Error("action filter")
		}
		if code, body := a.get("/audit?from=2023-02-30"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "开始日期") {
			t.Errorf("bad date: %d", code)
		}
		// Object history link.
		_, body = a.get(fmt.Sprintf("/audit?type=user&id=%d", f.clerkA.ID))
		if !strings.Contains(body, "只显示“用户 张专干”的记录") {
			t.Errorf("object history: %.2000s", body)
		}
		// Excel export, itself in the log.
		resp, err := a.hc.Get(e.srv.URL + "/audit/export.xlsx?action=auth.login_failed")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if _, body := a.get("/audit?action=audit.export"); !strings.Contains(body, "导出审计日志") || !strings.Contains(body, "甲审计") {
			t.Error("export not logged")
		}

		// Unit B's auditor sees nothing of unit A.
		b := e.client()
		b.mustLogin("auditb")
		if _, body := b.get(fmt.Sprintf("/audit?type=user&id=%d", f.clerkA.ID)); strings.Contains(body, "张专干") {
			t.Error("unit B's auditor sees unit A's entries")
		}
		// The installation's auditor sees the unknown name, masked.
		q := e.client()
		q.mustLogin("auditq")
		_, body = q.get("/audit?action=auth.login_failed")
		if !strings.Contains(body, "S***（共 16 字）") || strings.Contains(body, "Secret-Pass") {
			t.Errorf("installation auditor: masked name missing or clear name shown")
		}
		if _, err := st.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEveryDownloadAudited: each way data leaves through the web — report
// Word/Excel/print, 月通报 Word/Excel, lexicon export, import template,
// ledger export, attachment — writes an entry naming who, what and which
// period, before the file is sent; and an import names the entries it made.
func TestEveryDownloadAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		info := loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		cases := []struct{ path, action, want string }{
			{"/reports/fresh/docx?kind=half-year&period=2023H1", "report.export", `"period":"2023H1"`},
			{"/reports/fresh/xlsx?kind=half-year&period=2023H1", "report.export", `"format":"xlsx"`},
			{"/reports/fresh/print?kind=half-year&period=2023H1", "report.export", `"format":"print"`},
			{"/info/bulletin.docx?month=2023-03", "info.bulletin.export", `"month":"2023-03"`},
			{"/info/bulletin.xlsx?month=2023-03", "info.bulletin.export", `"format":"xlsx"`},
			{"/info/lexicon/export.tsv", "info.terms.export", `"title":"本单位筛查词库.tsv"`},
			{"/ledger/template.xlsx", "activity.template", `"staff":`},
			{"/ledger/export.xlsx?from=2023-01-01&to=2023-06-30", "activity.export", `from=2023-01-01`},
		}
		for _, tc := range cases {
			before, err := st.ListAudit(ctx, store.AuditFilter{OrgIDs: []int64{info.UnitID}, Action: tc.action, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if code, _ := c.get(tc.path); code != 200 {
				t.Fatalf("%s: %d", tc.path, code)
			}
			after, err := st.ListAudit(ctx, store.AuditFilter{OrgIDs: []int64{info.UnitID}, Action: tc.action, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before)+1 {
				t.Errorf("%s: %d new %s entries, want 1", tc.path, len(after)-len(before), tc.action)
				continue
			}
			if got := after[0]; got.ActorName == "" || got.ActorID == 0 || !strings.Contains(got.After, tc.want) {
				t.Errorf("%s: entry %+v lacks who or %s", tc.path, got, tc.want)
			}
		}
		if _, err := st.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAttachmentDownloadAndImportAudited: an attachment download names the
// activity and file; an import names the ids it created.
func TestAttachmentDownloadAndImportAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		c := e.client()
		c.mustLogin("clerka")
		pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
		fields := map[string][]string{"csrf": {c.csrf()}, "type": {"central_group"}, "title": {"附件下载测试"}, "date": {"2023-06-20"}, "late_reason": {"纸质记录补录"},
			"org": {fmt.Sprint(f.unitA.ID)}, "content": {"学习"}}
		code, _, loc := c.postMultipart("/ledger", fields, map[string][2]string{"files": {"纪要.pdf", pdf}})
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		_, show := c.get(loc)
		m := regexpFind(`href="(/ledger/(\d+)/files/\d+)"`, show)
		if m == nil {
			t.Fatal("no attachment link")
		}
		if code, _ := c.get(m[1]); code != 200 {
			t.Fatalf("download: %d", code)
		}
		got, err := st.ListAudit(ctx, store.AuditFilter{OrgIDs: []int64{f.unitA.ID}, Action: "attachment.download", Limit: 5})
		if err != nil || len(got) != 1 || fmt.Sprint(got[0].ObjectID) != m[2] || !strings.Contains(got[0].After, "纪要.pdf") {
			t.Fatalf("attachment download entry: %+v %v", got, err)
		}
		// B's clerk cannot download it, and nothing is logged for the attempt.
		b := e.client()
		b.mustLogin("clerkb")
		if code, _ := b.get(m[1]); code != http.StatusNotFound {
			t.Fatalf("cross-unit download: %d", code)
		}
	})
}

func regexpFind(pattern, s string) []string { return regexp.MustCompile(pattern).FindStringSubmatch(s) }

// TestBackupSettingsPage: the installation's administrator sets the backup
// schedule and sees the retention; a unit's administrator may not.
func TestBackupSettingsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		district := org.Node{Kind: org.District, Name: "示范区"}
		if err := st.CreateNode(ctx, store.System, &district); err != nil {
			t.Fatal(err)
		}
		for _, u := range []org.User{
			{OrgID: district.ID, Username: "instadmin", Name: "区管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: district.ID}}},
			{OrgID: f.unitA.ID, Username: "unitadmin", Name: "甲管理员", Grants: []access.Grant{{Role: access.SysAdmin, OrgID: f.unitA.ID}}},
		} {
			if err := svcOf(st).CreateUser(ctx, store.System, &u, pw); err != nil {
				t.Fatal(err)
			}
		}
		ua := e.client()
		ua.mustLogin("unitadmin")
		if code, _ := ua.get("/admin/backup"); code != http.StatusForbidden {
			t.Fatalf("unit admin opened backup settings: %d", code)
		}
		if code, _, _ := ua.post("/admin/backup", map[string][]string{"csrf": {ua.csrf()}, "every_hours": {"1"}, "keep_days": {"1"}}); code != http.StatusForbidden {
			t.Fatalf("unit admin saved backup settings: %d", code)
		}
		a := e.client()
		a.mustLogin("instadmin")
		code, body := a.get("/admin/backup")
		if code != 200 || !strings.Contains(body, "至少保留 180 天") || !strings.Contains(body, `name="keep_days" value="30"`) {
			t.Fatalf("backup page: %d", code)
		}
		if code, body, _ := a.post("/admin/backup", map[string][]string{"csrf": {a.csrf()}, "every_hours": {"12"}, "keep_days": {"0"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "备份保留天数") {
			t.Fatalf("invalid retention: %d", code)
		}
		if code, _, loc := a.post("/admin/backup", map[string][]string{"csrf": {a.csrf()}, "every_hours": {"12"}, "keep_days": {"90"}}); code != http.StatusSeeOther || loc != "/admin/backup?ok=saved" {
			t.Fatalf("save: %d %s", code, loc)
		}
		if b, _ := st.BackupSettings(ctx); b.EveryHours != 12 || b.KeepDays != 90 {
			t.Fatalf("saved %+v", b)
		}
		if got, _ := st.ListAudit(ctx, store.AuditFilter{Global: true, Action: "settings.backup", Limit: 5}); len(got) != 1 {
			t.Fatal("backup settings change not logged")
		}
		// Opinion items' retention (issue 17): 365 days by default, 30 to 3650.
		if _, body := a.get("/admin/backup"); !strings.Contains(body, `name="opinion_days" value="365"`) {
			t.Errorf("opinion retention not shown with its default")
		}
		if code, body, _ := a.post("/admin/backup", map[string][]string{"csrf": {a.csrf()}, "every_hours": {"12"}, "keep_days": {"90"}, "opinion_days": {"7"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "舆情信息保存天数：应在 30 到 3650 天之间") {
			t.Errorf("opinion retention of 7 days: %d", code)
		}
		if code, _, _ := a.post("/admin/backup", map[string][]string{"csrf": {a.csrf()}, "every_hours": {"12"}, "keep_days": {"90"}, "opinion_days": {"730"}}); code != http.StatusSeeOther {
			t.Errorf("opinion retention save: %d", code)
		}
		if d, _ := st.OpinionRetentionDays(ctx); d != 730 {
			t.Errorf("opinion retention %d, want 730", d)
		}
	})
}
