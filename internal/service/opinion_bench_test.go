package service_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/opbus"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// BenchmarkOpinionImport imports the first ZHENDI_BENCH_ITEMS lines (all
// by default) of the shared Weibo corpus with 20 schemes into a fresh
// database: set ZHENDI_BENCH_PG=1 for PostgreSQL.
func BenchmarkOpinionImport(b *testing.B) {
	path := "../../../shared/data/corpus/weibo_ced.jsonl"
	if p := os.Getenv("ZHENDI_BENCH_FILE"); p != "" {
		path = p
	}
	if _, err := os.Stat(path); err != nil {
		b.Skip("corpus not found")
	}
	for range b.N {
		var st *store.Store
		if os.Getenv("ZHENDI_BENCH_PG") != "" {
			st = storetest.Postgres(b)
		} else {
			st = storetest.SQLite(b)
		}
		ctx := context.Background()
		unit := org.Node{Kind: org.Unit, Name: "测试局"}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			b.Fatal(err)
		}
		sc := access.Scope{ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
		svc := service.New(st, service.Config{}, nil)
		for _, sch := range benchSchemes {
			c := &store.OpinionScheme{UnitID: unit.ID, Name: sch[0], Rule: sch[1], Scope: "all", Enabled: true}
			if err := svc.SaveOpinionScheme(ctx, store.System, sc, c); err != nil {
				b.Fatal(err)
			}
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := svc.ImportOpinion(ctx, store.System, sc, unit.ID, "weibo.jsonl", f)
		b.StopTimer()
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.PerSecond(), "items/s")
		b.Logf("%s: read %d stored %d exact %d near %d hits %d events %d in %v (%.0f/s)", st.Dialect(), res.Read, res.Stored, res.Exact, res.Near, res.Hits, res.NewEvents, res.Elapsed, res.PerSecond())
	}
}

// benchSchemes are 20 schemes of the kind a district writes.
var benchSchemes = [][2]string{
	{"医疗", "(医院 | 医生 | 医疗) & (死亡 | 纠纷 | 事故)"}, {"化工", "(化工厂 | 化工园区) & (爆炸 | 起火 | 泄漏) & !演练"},
	{"食品安全", "食品 & (安全 | 中毒 | 过期)"}, {"交通事故", "(车祸 | 交通事故 | 追尾) & !演习"},
	{"拆迁", "拆迁 | 强拆"}, {"学校", "(学校 | 学生 | 老师) & (打 | 欺凌 | 死亡)"},
	{"地震", "地震"}, {"谣言", "谣言 | 辟谣"}, {"火灾", "火灾 | 起火 | 着火"}, {"环境", "(污染 | 雾霾 | 排污)"},
	{"治安", "(抢劫 | 杀人 | 砍人)"}, {"物价", "(涨价 | 物价)"}, {"城管", "城管"}, {"上访", "上访 | 信访"},
	{"腐败", "(贪污 | 腐败 | 受贿)"}, {"洪水", "(洪水 | 暴雨 | 内涝)"}, {"儿童", "(儿童 | 小孩 | 婴儿) & (失踪 | 拐卖)"},
	{"疫苗", "疫苗"}, {"房价", "房价 | 楼市"}, {"政府", "政府 & (回应 | 通报)"},
}

// BenchmarkOpinionImportNATS is BenchmarkOpinionImport in NATS mode: the
// file is published to a fresh JetStream stream and two consumer nodes
// (two services on the store) store it; the time runs until the last item
// is committed. Needs NATS on 127.0.0.1:4222.
func BenchmarkOpinionImportNATS(b *testing.B) {
	path := "../../../shared/data/corpus/weibo_ced.jsonl"
	if p := os.Getenv("ZHENDI_BENCH_FILE"); p != "" {
		path = p
	}
	if _, err := os.Stat(path); err != nil {
		b.Skip("corpus not found")
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second); err != nil {
		b.Skip("no NATS")
	} else {
		c.Close()
	}
	for range b.N {
		var st *store.Store
		if os.Getenv("ZHENDI_BENCH_PG") != "" {
			st = storetest.Postgres(b)
		} else {
			st = storetest.SQLite(b)
		}
		ctx := context.Background()
		unit := org.Node{Kind: org.Unit, Name: "测试局"}
		if err := st.CreateNode(ctx, store.System, &unit); err != nil {
			b.Fatal(err)
		}
		sc := access.Scope{ReadUnits: []int64{unit.ID}, WriteUnits: []int64{unit.ID}}
		svc := service.New(st, service.Config{}, nil)
		for _, sch := range benchSchemes {
			c := &store.OpinionScheme{UnitID: unit.ID, Name: sch[0], Rule: sch[1], Scope: "all", Enabled: true}
			if err := svc.SaveOpinionScheme(ctx, store.System, sc, c); err != nil {
				b.Fatal(err)
			}
		}
		cfg := opbus.Config{Stream: fmt.Sprintf("ZB_%d", time.Now().UnixNano())}
		pub, err := opbus.Connect(ctx, "nats://127.0.0.1:4222", cfg)
		if err != nil {
			b.Fatal(err)
		}
		svc.SetOpinionBus(service.NewJSONBus(pub))
		cctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for range 2 {
			node := service.New(st, service.Config{}, nil)
			bus, err := opbus.Connect(ctx, "nats://127.0.0.1:4222", cfg)
			if err != nil {
				b.Fatal(err)
			}
			wg.Go(func() { bus.Consume(cctx, node.ProcessOpinionMessage, nil); bus.Close() })
		}
		f, _ := os.Open(path)
		start := time.Now()
		res, err := svc.ImportOpinion(ctx, store.System, sc, unit.ID, "weibo.jsonl", f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		published := time.Since(start)
		var want int
		for {
			left, _ := pub.Pending(ctx)
			var seen int
			st.DB().QueryRow("SELECT count(*) FROM opinion_seen").Scan(&seen)
			if left == 0 && seen > 0 {
				want = seen
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		took := time.Since(start)
		stop()
		wg.Wait()
		pub.DeleteStream(ctx)
		pub.Close()
		b.ReportMetric(float64(res.Read)/took.Seconds(), "items/s")
		b.Logf("%s via NATS, 2 consumers: %d items published in %v, %d delivery keys stored, all committed after %v (%.0f/s)",
			st.Dialect(), res.Read, published, want, took, float64(res.Read)/took.Seconds())
	}
}
