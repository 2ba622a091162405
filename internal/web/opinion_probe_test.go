package web_test

import (
	"context"
	"strings"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/store"
)

// seedOpinionVictim gives the probe's victim unit one record of every
// opinion kind a route can name: a feed source, a scheme and items (one
// hit by the scheme).
func seedOpinionVictim(t *testing.T, st *store.Store, unit int64) {
	t.Helper()
	ctx := context.Background()
	sc := access.Scope{ReadUnits: []int64{unit}, WriteUnits: []int64{unit}}
	svc := svcOf(st)
	src := &store.OpinionSource{UnitID: unit, Kind: store.SourceFeed, Name: "探针订阅源", URL: "https://example.cn/rss", IntervalSec: 900, Weight: 1, Enabled: true}
	if _, err := svc.SaveOpinionSource(ctx, store.System, sc, src, false); err != nil {
		t.Fatal(err)
	}
	sch := &store.OpinionScheme{UnitID: unit, Name: "探针方案", Rule: "化工园区 & 起火", Scope: "all", Enabled: true}
	if err := svc.SaveOpinionScheme(ctx, store.System, sc, sch); err != nil {
		t.Fatal(err)
	}
	data := `{"id":"p1","title":"化工园区起火","text":"示范区化工园区今晨起火，已扑灭。","published":"2023-06-01 08:00"}
{"id":"p2","title":"农业技术培训","text":"示范区举办春耕农业技术培训。","published":"2023-06-02 09:00"}
`
	if _, err := svc.ImportOpinion(ctx, store.System, sc, unit, "probe.jsonl", strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
}
