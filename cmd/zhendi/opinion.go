package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/opbus"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// opinionCmd runs `zhendi opinion import|fetch`.
func opinionCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("用法：zhendi opinion import --unit 单位ID 文件.jsonl|文件.csv，或 zhendi opinion fetch --unit 单位ID")
	}
	switch args[0] {
	case "import":
		return opinionImportCmd(ctx, log, args[1:], out)
	case "fetch":
		return opinionFetchCmd(ctx, log, args[1:], out)
	case "report": // opweb: opinion_report.go
		return opinionReportCmd(ctx, log, args[1:], out)
	}
	return fmt.Errorf("未知的 opinion 子命令“%s”（可用：import、fetch、report）", args[0])
}

// opinionService opens the database and, with --nats, connects the bus.
func opinionService(ctx context.Context, log *slog.Logger, d *dbFlags, natsURL string) (*service.Service, func(), error) {
	s, err := d.open(ctx, log)
	if err != nil {
		return nil, nil, err
	}
	svc := service.New(s, service.Config{}, log)
	closeAll := func() { s.Close() }
	if natsURL != "" {
		bus, err := connectOpinionBus(ctx, natsURL, svc, log)
		if err != nil {
			s.Close()
			return nil, nil, err
		}
		svc.SetOpinionBus(service.NewJSONBus(bus))
		closeAll = func() { bus.Close(); s.Close() }
	}
	return svc, closeAll, nil
}

func opinionImportCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("opinion import", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	unit := fs.Int64("unit", 0, "导入到哪个单位（单位ID，见 zhendi user list）")
	natsURL := fs.String("nats", env("ZHENDI_NATS", ""), "NATS JetStream 地址（如 nats://127.0.0.1:4222）：发布到消息流，由各节点的处理者入库")
	fs.Parse(args)
	if *unit == 0 || fs.NArg() != 1 {
		return fmt.Errorf("用法：zhendi opinion import --unit 单位ID 文件.jsonl|文件.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("打开文件：%w", err)
	}
	defer f.Close()
	svc, closeAll, err := opinionService(ctx, log, &d, *natsURL)
	if err != nil {
		return err
	}
	defer closeAll()
	res, err := svc.ImportOpinion(ctx, store.System, systemWriteScope(*unit), *unit, filepath.Base(fs.Arg(0)), f)
	if err != nil {
		return err
	}
	if *natsURL != "" {
		fmt.Fprintf(out, "读取 %d 条，已发布到 NATS 消息流，由处理节点入库（%.0f 条/秒）。\n", res.Read, res.PerSecond())
		return nil
	}
	fmt.Fprintf(out, "读取 %d 条，新入库 %d 条，合并重复 %d 条（完全相同 %d，近似转载 %d），此前已导入跳过 %d 条；方案命中 %d 次，新事件 %d 个；用时 %.1f 秒，每秒 %.0f 条。\n",
		res.Read, res.Stored, res.Folded(), res.Exact, res.Near, res.Seen, res.Hits, res.NewEvents, res.Elapsed.Seconds(), res.PerSecond())
	return nil
}

func opinionFetchCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("opinion fetch", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	unit := fs.Int64("unit", 0, "采集哪个单位的订阅源（单位ID）")
	natsURL := fs.String("nats", env("ZHENDI_NATS", ""), "NATS JetStream 地址：采集结果发布到消息流")
	fs.Parse(args)
	if *unit == 0 {
		return fmt.Errorf("用法：zhendi opinion fetch --unit 单位ID")
	}
	svc, closeAll, err := opinionService(ctx, log, &d, *natsURL)
	if err != nil {
		return err
	}
	defer closeAll()
	rep, err := svc.FetchUnit(ctx, systemWriteScope(*unit), *unit)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "订阅源 %d 个（失败 %d，未更新 %d）；读取 %d 条，新入库 %d 条，合并重复 %d 条，方案命中 %d 次，新事件 %d 个。\n",
		rep.Feeds, rep.Failed, rep.NotModified, rep.Read, rep.Stored, rep.Folded(), rep.Hits, rep.NewEvents)
	if rep.Failed > 0 {
		fmt.Fprintln(out, "失败原因见“舆情来源”页面各来源的最近错误。")
	}
	return nil
}

// connectOpinionBus connects to NATS JetStream and returns the bus the
// service publishes through.
func connectOpinionBus(ctx context.Context, url string, svc *service.Service, log *slog.Logger) (*opbus.Bus, error) {
	bus, err := opbus.Connect(ctx, url, opbus.Config{})
	if err != nil {
		return nil, err
	}
	log.Info("opinion pipeline on NATS JetStream", "url", url)
	return bus, nil
}

// systemWriteScope lets the command line write the given unit's opinion
// records: whoever runs it on the server holds the database anyway.
func systemWriteScope(unit int64) access.Scope {
	return access.Scope{ReadUnits: []int64{unit}, WriteUnits: []int64{unit}}
}

// startOpinionPipeline runs the opinion jobs of `zhendi serve`: feed
// polling every minute and the retention purge hourly; with natsURL the
// service publishes to JetStream and this node also runs a consumer.
func startOpinionPipeline(ctx context.Context, jobs *sync.WaitGroup, svc *service.Service, natsURL string, log *slog.Logger) (func(), error) {
	stop := func() {}
	if natsURL != "" {
		bus, err := connectOpinionBus(ctx, natsURL, svc, log)
		if err != nil {
			return nil, err
		}
		svc.SetOpinionBus(service.NewJSONBus(bus))
		for range 2 {
			jobs.Go(func() {
				bus.Consume(ctx, svc.ProcessOpinionMessage, func(err error) { log.Warn("opinion consumer", "err", err) })
			})
		}
		stop = bus.Close
	}
	jobs.Go(func() { svc.RunEvery(ctx, "opinion feeds", time.Minute, svc.FetchRound) })
	jobs.Go(func() { svc.RunEvery(ctx, "opinion retention", time.Hour, svc.PurgeOpinion) })
	return stop, nil
}
