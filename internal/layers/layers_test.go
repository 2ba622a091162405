package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "zhendi/"

// TestImportRule fails when a package imports one of a higher layer — a
// domain package importing the store, the store importing the service or
// web — or when a package under internal/ has no layer.
func TestImportRule(t *testing.T) {
	imports := projectImports(t, "..")
	if len(imports) < len(Of)/2 {
		t.Fatalf("found only %d packages; is the test run from internal/layers?", len(imports))
	}
	var pkgs []string
	for p := range imports {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		from, ok := layerOf(p)
		if !ok {
			t.Errorf("internal/%s has no layer: add it to layers.Of", p)
			continue
		}
		for _, imp := range unique(imports[p]) {
			to, ok := layerOf(imp)
			if !ok {
				continue // reported as its own package
			}
			if to > from {
				t.Errorf("internal/%s (%s) imports internal/%s (%s): imports must point to the same or a lower layer", p, from, imp, to)
			}
			if Standalone[p] {
				t.Errorf("internal/%s stands alone and must not import project packages, but imports internal/%s", p, imp)
			}
		}
	}
}

// TestRuleCatchesViolations checks the checker itself on the two
// directions the rule exists to forbid.
func TestRuleCatchesViolations(t *testing.T) {
	for _, c := range []struct{ from, to string }{{"ledger", "store"}, {"store", "service"}, {"service", "web"}, {"supervise", "service"}} {
		f, _ := layerOf(c.from)
		to, _ := layerOf(c.to)
		if to <= f {
			t.Errorf("%s -> %s would be allowed", c.from, c.to)
		}
	}
}

// layerOf finds the layer of a package path relative to internal/; a
// sub-package ("supervise/remind") takes its top folder's layer unless it is
// listed itself.
func layerOf(p string) (Layer, bool) {
	if l, ok := Of[p]; ok {
		return l, true
	}
	top, _, _ := strings.Cut(p, "/")
	l, ok := Of[top]
	return l, ok
}

// projectImports parses the non-test Go files under root and returns, per
// package (path relative to root), the zhendi/internal packages it imports.
func projectImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" || buildIgnored(f.Comments) {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		if _, ok := out[rel]; !ok {
			out[rel] = nil
		}
		for _, is := range f.Imports {
			imp, _ := strconv.Unquote(is.Path.Value)
			if rest, ok := strings.CutPrefix(imp, module+"internal/"); ok {
				out[rel] = append(out[rel], rest)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func buildIgnored(groups []*ast.CommentGroup) bool {
	for _, g := range groups {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:build ignore") {
				return true
			}
		}
	}
	return false
}

func unique(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, v := range list {
		if i == 0 || v != list[i-1] {
			out = append(out, v)
		}
	}
	return out
}
