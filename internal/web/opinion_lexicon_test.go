package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/store"
	"zhendi/internal/storetest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestOpinionUnitLexicon: a unit's own lexicon (with its licence line) is
// kept and joins the seed lexicon when that unit's items are scored — a
// text with only the unit's term is negative in that unit and neutral in
// another; a file without a licence is refused naming the field; another
// unit's 专干 can neither replace nor remove it.
func TestOpinionUnitLexicon(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		a := e.client()
		a.mustLogin("clerka")
		tok := a.csrf()
		unit := fmt.Sprint(f.unitA.ID)
		code, body, _ := a.postMultipart("/opinion/lexicon", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"词表.txt", "负面\t限号出行\t2\n"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "许可：请在词表中写明来源与许可") {
			t.Fatalf("no licence: %d %s", code, pageMessage(body))
		}
		file := "名称\t本局交通词表\n许可\t本局自编，仅供本局使用\n负面\t限号出行\t2\n"
		code, body, _ = a.postMultipart("/opinion/lexicon", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"词表.txt", file}})
		if code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", code, pageMessage(body))
		}
		_, body = a.get("/opinion/lexicon?unit=" + unit)
		if !strings.Contains(body, "本局交通词表") || !strings.Contains(body, "本局自编，仅供本局使用") || !strings.Contains(body, `<td class="num">1</td>`) {
			t.Fatalf("lexicon page: %s", body)
		}
		svc := svcOf(st)
		ctx := context.Background()
		neg := map[int64]float64{}
		for _, u := range []int64{f.unitA.ID, f.unitB.ID} {
			sc := access.Scope{ReadUnits: []int64{u}, WriteUnits: []int64{u}}
			if _, err := svc.ImportOpinion(ctx, store.System, sc, u, "a.jsonl", strings.NewReader(`{"id":"1","text":"下周一起城区限号出行"}`+"\n")); err != nil {
				t.Fatal(err)
			}
			var n float64
			if err := st.DB().QueryRow("SELECT negativity FROM opinion_items WHERE unit_id = $1", u).Scan(&n); err != nil {
				t.Fatal(err)
			}
			neg[u] = n
		}
		if neg[f.unitA.ID] <= 0 || neg[f.unitB.ID] != 0 {
			t.Fatalf("negativity with the unit's lexicon %.2f (want > 0), without %.2f (want 0)", neg[f.unitA.ID], neg[f.unitB.ID])
		}
		b := e.client()
		b.mustLogin("clerkb")
		btok := b.csrf()
		if code, _, _ := b.postMultipart("/opinion/lexicon", url.Values{"csrf": {btok}, "unit": {unit}}, map[string][2]string{"file": {"x.txt", "许可\tx\n负面\t好\n"}}); code != http.StatusForbidden && code != http.StatusNotFound {
			t.Fatalf("unit B replacing A's lexicon: %d", code)
		}
		if code, _, _ := b.post("/opinion/lexicon/delete", url.Values{"csrf": {btok}, "unit": {unit}}); code != http.StatusForbidden && code != http.StatusNotFound {
			t.Fatalf("unit B deleting A's lexicon: %d", code)
		}
		if count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'opinion.lexicon.save'") != 1 {
			t.Fatal("the lexicon upload is not audited once")
		}
		code, _, _ = a.post("/opinion/lexicon/delete", url.Values{"csrf": {tok}, "unit": {unit}})
		if code != http.StatusSeeOther || count(t, st, "SELECT count(*) FROM opinion_lexicons") != 0 {
			t.Fatalf("delete: %d", code)
		}
		// Saved by WPS or Excel on Windows: GBK, read as the item import
		// reads its CSV, and kept as UTF-8.
		gbk, err := simplifiedchinese.GBK.NewEncoder().String("名称\t本局GBK词表\n许可\t本局自编\n负面\t限号出行\t2\n")
		if err != nil {
			t.Fatal(err)
		}
		code, body, _ = a.postMultipart("/opinion/lexicon", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"词表.txt", gbk}})
		if code != http.StatusSeeOther {
			t.Fatalf("GBK upload: %d %s", code, pageMessage(body))
		}
		if _, body = a.get("/opinion/lexicon?unit=" + unit); !strings.Contains(body, "本局GBK词表") {
			t.Fatal("the GBK lexicon is not listed by its name")
		}
		bad := "许可\tx\n负面\t\xff\xfe\xfd\n"
		if code, body, _ = a.postMultipart("/opinion/lexicon", url.Values{"csrf": {tok}, "unit": {unit}}, map[string][2]string{"file": {"x.txt", bad}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "GB18030") {
			t.Fatalf("undecodable lexicon: %d %s", code, pageMessage(body))
		}
	})
}
