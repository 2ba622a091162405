package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

func runScreen(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := screenCmd(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)), args, strings.NewReader(stdin), &out)
	var code exitCode
	switch {
	case errors.As(err, &code):
		return out.String(), int(code)
	case err != nil:
		t.Fatalf("screen %v: %v", args, err)
	}
	return out.String(), 0
}

func TestScreenCommand(t *testing.T) {
	dir := t.TempDir()
	// stdin, text output with line and column, exit status 0 without a
	// blocking finding.
	out, code := runScreen(t, "第一行没有问题。\n会议顺利召开.会议要求各支部认真学习.\n", "-")
	if code != 0 || !strings.Contains(out, "2:7\t标点\t提示\t\".\" → 。") || !strings.Contains(out, "2:19\t标点") {
		t.Errorf("stdin: code %d, output\n%s", code, out)
	}
	// A .txt file with a blocking finding (a Kangxi radical look-alike):
	// exit status 1; --json for scripts.
	txt := filepath.Join(dir, "稿件.txt")
	if err := os.WriteFile(txt, []byte("揭露⾨徒会的本质，共有１２３名党员参加"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = runScreen(t, "", "--json", txt)
	var list []screenFinding
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if code != 1 || len(list) != 2 || list[0].Category != "敏感词" || !list[0].Blocking || list[0].Column != 3 || list[0].Text != "⾨徒会" ||
		list[1].Text != "１２３" || list[1].Suggest != "123" || list[1].Column != 12 {
		t.Errorf("txt --json: code %d, %+v", code, list)
	}
	// A .docx file: paragraphs become lines.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("word/document.xml")
	io.WriteString(w, `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+
		`<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:p><w:r><w:t>国家工商</w:t></w:r><w:r><w:t>总局发布通知</w:t></w:r></w:p></w:body></w:document>`)
	zw.Close()
	docx := filepath.Join(dir, "稿件.docx")
	if err := os.WriteFile(docx, zb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = runScreen(t, "", docx)
	if code != 0 || !strings.Contains(out, "2:1\t过时称谓\t提示\t\"国家工商总局\" → 国家市场监管总局") {
		t.Errorf("docx: code %d, output\n%s", code, out)
	}
	// A unit's lexicon exported as TSV: its own blocking term.
	terms := filepath.Join(dir, "词库.tsv")
	if err := os.WriteFile(terms, []byte("内部称呼\t禁用词\t2\t\t本单位不对外使用\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = runScreen(t, "文中出现内部称呼。", "--terms", terms, "-")
	if code != 1 || !strings.Contains(out, "1:5\t禁用词\t阻断\t\"内部称呼\"") {
		t.Errorf("--terms: code %d, output\n%s", code, out)
	}
	// Not UTF-8: a clear error.
	bad := filepath.Join(dir, "gbk.txt")
	os.WriteFile(bad, []byte{0xd6, 0xd0, 0xce, 0xc4}, 0o600)
	var buf bytes.Buffer
	err := screenCmd(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)), []string{bad}, nil, &buf)
	if err == nil || !strings.Contains(err.Error(), "不是 UTF-8") {
		t.Errorf("GBK file: %v", err)
	}
}

// TestScreenCommandUnitLexicon: --unit reads the unit's own terms from the
// database.
func TestScreenCommandUnitLexicon(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := "--data=" + dir
	var out bytes.Buffer
	if err := user(ctx, quiet(), []string{"create", data, "--username", "admin", "--name", "管理员", "--role", "sysadmin",
		"--unit-name", "测试局", "--password", "Admin12345678"}, &out); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, filepath.Join(dir, "zhendi.db"), filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := s.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	unit := admin.OrgID
	sc := access.Build(admin.ID, unit, []access.Grant{{Role: access.Clerk, OrgID: unit, UnitID: unit, Kind: "unit"}}, nil)
	if _, err := s.SaveInfoTerms(ctx, store.Actor{UserID: admin.ID, Name: "管理员"}, sc, unit,
		[]infosub.Term{{Term: "内部称呼", Category: infosub.CatBanned, Severity: infosub.SevBlock}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got, code := runScreen(t, "文中出现内部称呼。", data, "--unit", strconv.FormatInt(unit, 10), "-")
	if code != 1 || !strings.Contains(got, "1:5\t禁用词\t阻断\t\"内部称呼\"") {
		t.Errorf("--unit: code %d, output\n%s", code, got)
	}
	// Without --unit only the built-in lexicon: no finding.
	if got, code := runScreen(t, "文中出现内部称呼。", "-"); code != 0 || !strings.Contains(got, "共 0 处问题") {
		t.Errorf("built-in only: code %d, output\n%s", code, got)
	}
}
