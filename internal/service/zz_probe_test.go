package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

func TestZZProbe(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	info, err := demo.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Config{}, nil)
	svc.SetClock(func() time.Time { return time.Date(2024, 2, 1, 9, 0, 0, 0, cntime.Zone) })
	other := org.Node{ParentID: info.DistrictID, Kind: org.Unit, Name: "示范区水利局"}
	if err := st.CreateNode(ctx, store.System, &other); err != nil {
		t.Fatal(err)
	}
	_, district := assessLogin(t, st, "ducha")
	district.Scope.ReadUnits = append(district.Scope.ReadUnits, other.ID)
	tr, err := svc.DistrictTree(ctx, district, info.DistrictID, 2023)
	if err != nil {
		t.Fatal(err)
	}
	ranked, _, err := svc.Ranking(ctx, district.Scope, tr)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ranked {
		fmt.Println(r.Rank, r.Name, r.Result.Total, r.UnitID)
		for _, l := range r.Result.Lines {
			n := ""
			if l.Item.Measure != nil {
				n = fmt.Sprintf("%d/%d f%d %s", l.Item.Measure.Count, l.Item.Measure.Required, l.Item.Measure.Failures, l.Item.Measure.Note)
			}
			fmt.Println("   ", l.Indicator.Name, l.Score, l.By, n)
		}
	}
}
