package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"zhendi/internal/store"
)

// xssPayload goes into every free-text field. Escaped, it shows as text;
// unescaped anywhere, the probe finds its raw markup.
const xssPayload = `探针"'><script>alert(1)</script><img src=x onerror=alert(1)>`

var rawXSS = []string{"<script>alert(1)", "<img src=x onerror"}

// htmlForm is a POST form found on a page.
type htmlForm struct {
	page, action, enctype string
	values                url.Values
	text                  []string // free-text fields (text inputs, textareas)
}

// postForms parses the POST forms of a page: fields with their current
// values (checked boxes, selected options, the first named button).
func postForms(page, body string) []htmlForm {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var out []htmlForm
	var cur *htmlForm
	button := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				if m, _ := attr(n, "method"); strings.EqualFold(m, "post") {
					action, _ := attr(n, "action")
					enc, _ := attr(n, "enctype")
					out = append(out, htmlForm{page: page, action: action, enctype: enc, values: url.Values{}})
					prev, prevButton := cur, button
					cur, button = &out[len(out)-1], false
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						walk(c)
					}
					cur, button = prev, prevButton
					return
				}
			case "input":
				if cur != nil {
					name, _ := attr(n, "name")
					typ, _ := attr(n, "type")
					val, _ := attr(n, "value")
					_, checked := attr(n, "checked")
					switch strings.ToLower(typ) {
					case "", "text", "search", "tel":
						cur.values.Set(name, val)
						cur.text = append(cur.text, name)
					case "checkbox", "radio":
						if checked {
							cur.values.Add(name, val)
						}
					case "file", "submit", "button", "reset", "image":
					default:
						if name != "" {
							cur.values.Add(name, val)
						}
					}
				}
			case "textarea":
				if cur != nil {
					name, _ := attr(n, "name")
					text := ""
					if n.FirstChild != nil {
						text = n.FirstChild.Data
					}
					cur.values.Set(name, text)
					cur.text = append(cur.text, name)
				}
			case "select":
				if cur != nil {
					name, _ := attr(n, "name")
					first, chosen := "", ""
					var opts func(*html.Node)
					opts = func(o *html.Node) {
						if o.Type == html.ElementNode && o.Data == "option" {
							v, ok := attr(o, "value")
							if !ok && o.FirstChild != nil {
								v = o.FirstChild.Data
							}
							if first == "" {
								first = v
							}
							if _, sel := attr(o, "selected"); sel {
								chosen = v
							}
						}
						for c := o.FirstChild; c != nil; c = c.NextSibling {
							opts(c)
						}
					}
					opts(n)
					if chosen == "" {
						chosen = first
					}
					cur.values.Set(name, chosen)
				}
			case "button":
				if cur != nil && !button {
					if name, ok := attr(n, "name"); ok && name != "" {
						v, _ := attr(n, "value")
						cur.values.Set(name, v)
						button = true
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

var newTypeRE = regexp.MustCompile(`href="(/ledger/new\?type=[a-z_]+)"`)

// htmlPages are the pages a client can open: every GET route of the table
// with the victim's ids, the forms behind the 登记 type links, and extra.
func (p *probe) htmlPages(t *testing.T, st *store.Store, c *client, extra []string) map[string]string {
	t.Helper()
	pages := map[string]string{}
	var paths []string
	for _, rt := range routesOf(t, st) {
		method, path, _, ok := p.path(rt.Pattern)
		if rt.Public || method != http.MethodGet || !ok {
			continue
		}
		paths = append(paths, path)
	}
	paths = append(paths, extra...)
	for i := 0; i < len(paths); i++ {
		path := paths[i]
		if _, seen := pages[path]; seen {
			continue
		}
		resp, err := c.hc.Get(p.e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages[path] = string(b)
		for _, m := range newTypeRE.FindAllStringSubmatch(string(b), -1) {
			paths = append(paths, m[1])
		}
	}
	return pages
}

func rawPayload(body string) string {
	for _, r := range rawXSS {
		if i := strings.Index(body, r); i >= 0 {
			return body[max(0, i-120):min(len(body), i+60)]
		}
	}
	return ""
}

// probeStoredXSS finds every POST form on every page a clerk, an
// information officer and a system administrator can open, fills every
// free-text field with a script payload and submits it; neither the
// answer (a 422 form shown again) nor any page afterwards may contain the
// payload's markup unescaped, and the payload must show, escaped, on some
// page (so the probe stored something).
func probeStoredXSS(t *testing.T, p *probe) {
	st := p.st
	clients := map[string]*client{"zhuangan": p.victim}
	for _, u := range []string{"tangjing", "admin"} {
		c := p.e.client()
		c.demoLogin(u)
		clients[u] = c
	}
	accepted := map[string]bool{}
	var after []string
	forms := 0
	for who, c := range clients {
		for path, body := range p.htmlPages(t, st, c, nil) {
			if raw := rawPayload(body); raw != "" {
				t.Errorf("%s before any probe: %q", path, raw)
			}
			for _, f := range postForms(path, body) {
				if len(f.text) == 0 || f.action == "/logout" || f.action == "" {
					continue
				}
				forms++
				for _, name := range f.text {
					f.values.Set(name, xssPayload)
				}
				var code int
				var resp, loc string
				if strings.HasPrefix(f.enctype, "multipart/") {
					code, resp, loc = c.postMultipart(f.action, f.values, nil)
				} else {
					code, resp, loc = c.post(f.action, f.values)
				}
				if raw := rawPayload(resp); raw != "" {
					t.Errorf("%s posting %s from %s: answer %d shows the payload unescaped: %q", who, f.action, path, code, raw)
				}
				if code == http.StatusSeeOther {
					accepted[f.action] = true
					if loc != "" && strings.HasPrefix(loc, "/") {
						after = append(after, loc)
					}
				}
			}
		}
	}
	if forms < 20 || len(accepted) < 5 {
		t.Fatalf("%d forms with free text, %d accepted (%v): the probe did not reach the forms", forms, len(accepted), accepted)
	}
	escaped := 0
	for who, c := range clients {
		for path, body := range p.htmlPages(t, st, c, after) {
			if raw := rawPayload(body); raw != "" {
				t.Errorf("%s: %s shows a stored payload unescaped: %q", who, path, raw)
			}
			if strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				escaped++
			}
		}
	}
	if escaped == 0 {
		t.Fatal("the stored payload is shown on no page: the probe stored nothing")
	}
	t.Logf("%d forms posted, %d actions accepted, payload shown escaped on %d pages", forms, len(accepted), escaped)
}
