package web_test

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestRoleFirstPages: each role's first page is the one made for it, and
// leaders do not get the clerk's tables.
func TestRoleFirstPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		cases := []struct {
			user, want string
			also       []string
			not        []string
		}{
			{"wangjianguo", `id="role-leader"`, []string{"待我审批的报告", "待我审核的信息", "述职", `id="unit-lights"`, `id="chart-months"`}, []string{"各类活动 <small>"}},
			{"liuzhiqiang", `id="role-leader"`, []string{`id="unit-lights"`}, []string{"各类活动 <small>"}},
			{"zhuangan", `id="role-clerk"`, []string{"本周到期", "本月到期", "已逾期", "整改未销号", "各类活动 <small>", `id="chart-coverage"`}, nil},
			// A 科室负责人 reads no unit compliance: the clerk panels still
			// render ("已逾期 0"), not a 500 (a nil list once broke them).
			{"zhouwenjing", `id="role-clerk"`, []string{"本周到期", "已逾期", "整改未销号"}, nil},
			{"majun", `id="role-info"`, []string{"我的稿件", "退回给我的", "本科室 2023-06 报送"}, []string{`id="chart-months"`}},
			{"yanghui", `id="role-member"`, []string{"参加的活动", "撰写的心得体会", "请我做的事"}, []string{"半年总结数据"}},
			{"ducha", `id="role-supervisor"`, []string{`id="chart-district"`, "问题多的单位在前"}, nil},
			{"admin", `id="role-admin"`, []string{"用户管理", "组织机构"}, []string{"审计日志</a>"}},
			{"shenji", `id="role-admin"`, []string{"审计日志"}, []string{"用户管理"}},
			{"baomi", `id="role-admin"`, []string{"安全设置"}, []string{"用户管理"}},
		}
		roles := []string{"role-leader", "role-clerk", "role-info", "role-member", "role-supervisor", "role-admin"}
		for _, tc := range cases {
			c := e.client()
			c.demoLogin(tc.user)
			code, body := c.get("/")
			if code != 200 {
				t.Fatalf("%s home: %d", tc.user, code)
			}
			for _, r := range roles {
				if has := strings.Contains(body, `id="`+r+`"`); has != (`id="`+r+`"` == tc.want) {
					t.Errorf("%s: section %s present %v", tc.user, r, has)
				}
			}
			for _, s := range tc.also {
				if !strings.Contains(body, s) {
					t.Errorf("%s home lacks %q", tc.user, s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(body, s) {
					t.Errorf("%s home shows %q", tc.user, s)
				}
			}
		}
	})
}

var chartAttrRE = regexp.MustCompile(`<figure class="chart-box" id="([^"]+)">.*?data-chart="([^"]*)"`)

// homeChart is the JSON of one chart on a page.
type homeChart struct {
	Categories []string `json:"categories"`
	Series     []struct {
		Name   string    `json:"name"`
		Values []float64 `json:"values"`
		Links  []string  `json:"links"`
	} `json:"series"`
}

func chartsOf(t *testing.T, page string) map[string]homeChart {
	t.Helper()
	out := map[string]homeChart{}
	for _, m := range chartAttrRE.FindAllStringSubmatch(page, -1) {
		var c homeChart
		if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &c); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		out[m[1]] = c
	}
	return out
}

// TestHomeChartsAgreeWithLedger: every bar segment of the monthly chart
// links to a ledger list with exactly that many entries, and the June bar
// equals the June list; the 必修专题 bars equal their lists.
func TestHomeChartsAgreeWithLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		loadDemo(t, st)
		c := e.client()
		c.demoLogin("zhuangan")
		_, home := c.get("/")
		charts := chartsOf(t, home)
		months, ok := charts["chart-months"]
		if !ok || len(months.Categories) != 12 || len(months.Series) < 5 {
			t.Fatalf("monthly chart: %+v", months)
		}
		// Stacked by category, as the Word reports' 图1 (ledger.Groups).
		var names []string
		for _, s := range months.Series {
			names = append(names, s.Name)
		}
		if n := strings.Join(names, ","); !strings.Contains(n, "三会一课") || !strings.Contains(n, "理论学习") || strings.Contains(n, "党小组会") {
			t.Errorf("monthly chart series %s, want the categories", n)
		}
		june := 0.0
		for _, s := range months.Series {
			june += s.Values[5]
			if s.Values[5] == 0 {
				continue
			}
			_, list := c.get(s.Links[5])
			if m := totalRE.FindStringSubmatch(list); m == nil || m[1] != ftoa(s.Values[5]) {
				t.Errorf("June %s: bar %v, list %s says %v", s.Name, s.Values[5], s.Links[5], m)
			}
		}
		_, list := c.get("/ledger?from=2023-06-01&to=2023-06-30")
		if m := totalRE.FindStringSubmatch(list); m == nil || m[1] != ftoa(june) || june == 0 {
			t.Errorf("June bar %v, June list %v", june, m)
		}
		cov := charts["chart-coverage"]
		if len(cov.Categories) < 8 {
			t.Fatalf("coverage chart: %+v", cov)
		}
		for i, v := range cov.Series[0].Values {
			_, list := c.get(cov.Series[0].Links[i])
			if m := totalRE.FindStringSubmatch(list); m == nil || m[1] != ftoa(v) {
				t.Errorf("%s: bar %v, list says %v", cov.Categories[i], v, m)
			}
		}
		late := charts["chart-late"]
		if len(late.Series) != 1 || late.Series[0].Values[4] <= 0 {
			t.Errorf("late share chart: %+v", late)
		}
	})
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// TestPageChartsAgreeWithTables: the 五个带头, 督导 and 月通报 charts carry
// the figures of the tables beside them.
func TestPageChartsAgreeWithTables(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	c := e.client()
	c.demoLogin("zhuangan")
	_, page := c.get("/leads?year=2023")
	leads := chartsOf(t, page)["chart-leads"]
	if len(leads.Series) != 5 || len(leads.Categories) != 5 {
		t.Fatalf("five leads chart: %+v", leads)
	}
	for _, s := range leads.Series {
		for i, v := range s.Values {
			if v == 0 {
				continue
			}
			_, list := c.get(s.Links[i])
			if m := totalRE.FindStringSubmatch(list); m == nil || m[1] != ftoa(v) {
				t.Errorf("%s %s: bar %v, list %v", leads.Categories[i], s.Name, v, m)
			}
		}
	}
	_, page = c.get("/supervise?year=2023")
	comp := chartsOf(t, page)["chart-compliance"]
	if len(comp.Categories) < 5 || len(comp.Series) != 4 {
		t.Fatalf("compliance chart: %+v", comp)
	}
	_, page = c.get("/supervise/district?year=2023")
	if !strings.Contains(page, `id="chart-district-heat"`) {
		t.Error("district page has no heat map")
	}
	_, page = c.get("/info/bulletin?month=2023-06")
	rank := chartsOf(t, page)["chart-bulletin"]
	if len(rank.Categories) < 7 || rank.Series[0].Name != "得分" {
		t.Fatalf("bulletin chart: %+v", rank)
	}
	for _, name := range []string{"chart-info-submitted", "chart-info-adopted", "chart-info-points"} {
		ch := chartsOf(t, page)[name]
		if len(ch.Categories) != 6 || len(ch.Series) != len(rank.Categories) {
			t.Errorf("%s: %d months, %d series", name, len(ch.Categories), len(ch.Series))
		}
	}
}

// TestUserListFilters: the user list finds people by role and name and
// names each role with its node.
func TestUserListFilters(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	c := e.client()
	c.demoLogin("admin")
	_, all := c.get("/admin/users")
	if !strings.Contains(all, "科室负责人（办公室）、科室负责人（机关第一党支部）") {
		t.Errorf("roles without their nodes: %.300s", all[strings.Index(all, "周文静"):])
	}
	_, heads := c.get("/admin/users?role=dept_head")
	if !strings.Contains(heads, "周文静") || strings.Contains(heads, "李晓雯") {
		t.Error("role filter")
	}
	_, one := c.get("/admin/users?q=" + "晓雯")
	if !strings.Contains(one, "李晓雯") || strings.Contains(one, "周文静") || !strings.Contains(one, "1 人") {
		t.Error("name search")
	}
}
