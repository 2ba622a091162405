package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/cntime"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// TestChannelsCommand: a unit with a fresh and a stale news column on a
// local site; `channels check` prints both with their days and limit and
// exits 1 (5 stale columns are needed for the column veto, but the site's
// homepage is stale too); export and import round-trip the registry.
func TestChannelsCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.OpenAudit(ctx, store.DefaultAuditFiles(dir)); err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(cntime.Zone)
	day := func(ago int) string { return today.AddDate(0, 0, -ago).Format("2006-01-02") }
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/fresh/":
			fmt.Fprintf(w, "<li>动态 %s</li>", day(2))
		case "/home/":
			fmt.Fprintf(w, "<li>首页 %s</li>", day(20))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	unit := org.Node{Kind: org.Unit, Name: "测试局"}
	if err := st.CreateNode(ctx, store.System, &unit); err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Config{}, nil)
	clerk := org.User{OrgID: unit.ID, Username: "clerk", Name: "李专干", Grants: []access.Grant{{Role: access.Clerk, OrgID: unit.ID}}}
	if err := svc.CreateUser(ctx, store.System, &clerk, "Kx7m-Lp2q9"); err != nil {
		t.Fatal(err)
	}
	sc := access.Scope{UserID: clerk.ID, ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
	for _, c := range []channel.Channel{
		{Name: "本局门户", Kind: channel.Portal, URL: site.URL + "/home/"},
		{Name: "工作动态", Kind: channel.Column, Class: channel.ClassNews, URL: site.URL + "/fresh/"},
	} {
		c.UnitID, c.ResponsibleID, c.FilingNo, c.FilingDate = unit.ID, clerk.ID, "备1", "2024-01-01"
		if err := svc.CreateChannel(ctx, store.Actor{UserID: clerk.ID}, sc, &c); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	data := "--data=" + dir
	id := strconv.FormatInt(unit.ID, 10)
	var out bytes.Buffer
	err = channelsCmd(ctx, quiet(), []string{"check", data, "--unit", id}, &out)
	var code exitCode
	if !errors.As(err, &code) || code != 1 {
		t.Fatalf("check must exit 1 on a single veto: %v\n%s", err, out.String())
	}
	o := out.String()
	for _, want := range []string{"[超期] 本局门户（门户网站）：距上次更新 20 天，期限 14天", "[正常] 工作动态（网站栏目）：距上次更新 2 天，期限 14天", "单项否决：首页不更新", "更新超期"} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
	file := filepath.Join(dir, "阵地.xlsx")
	out.Reset()
	if err := channelsCmd(ctx, quiet(), []string{"export", data, "--unit", id, file}, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := channelsCmd(ctx, quiet(), []string{"import", data, "--unit", id, file}, &out); err != nil || !strings.Contains(out.String(), "已导入 2 个阵地") {
		t.Fatalf("import: %v %s", err, out.String())
	}
	if err := channelsCmd(ctx, quiet(), []string{"check", data, "--unit", "999"}, &out); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("unknown unit: %v", err)
	}
}
