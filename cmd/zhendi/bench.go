package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"zhendi/internal/perf"
	"zhendi/internal/store"
)

// benchCmd generates a district-sized ledger (unless --reuse finds one) and
// measures the home page and the ledger list through the real handler.
func benchCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	dsn := fs.String("db", "data/bench.db", "SQLite 文件路径或 postgres:// URL（请使用单独的库或 schema）")
	var opt perf.Options
	fs.IntVar(&opt.Units, "units", 100, "单位数")
	fs.IntVar(&opt.Years, "years", 10, "每个单位的台账年数（截至 2025 年底）")
	fs.IntVar(&opt.Staff, "staff", 90, "每个单位的人数")
	var run perf.RunOptions
	fs.IntVar(&run.Requests, "requests", 200, "每个页面计时的请求次数")
	fs.IntVar(&run.Warmup, "warmup", 10, "每个页面预热请求次数（不计时）")
	fs.StringVar(&run.Only, "only", "", "只测名称含此文字的页面（如 supervisor home）")
	cpuProfile := fs.String("cpuprofile", "", "测量页面期间的 CPU 剖析写入此文件（go tool pprof 读取）")
	genOnly := fs.Bool("generate-only", false, "只生成数据，不测页面")
	reuse := fs.Bool("reuse", false, "数据库中已有生成的数据时直接复用")
	analyze := fs.Bool("analyze", true, "测量前运行 ANALYZE 更新查询统计信息")
	fs.Parse(args)

	st, err := store.Open(ctx, *dsn, "")
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx, log); err != nil {
		return err
	}
	say := func(s string) { fmt.Fprintln(out, s) }
	ds, err := perf.Find(ctx, st)
	switch {
	case err == nil && *reuse:
		say("reusing the generated district")
	case err == nil:
		return fmt.Errorf("%s already holds a generated district: pass --reuse or use a fresh database", *dsn)
	case errors.Is(err, perf.ErrNoData):
		start := time.Now()
		if ds, err = perf.Generate(ctx, st, opt, say); err != nil {
			return err
		}
		say(fmt.Sprintf("generated in %s", time.Since(start).Round(time.Second)))
	default:
		return err
	}
	if *analyze {
		start := time.Now()
		if err := perf.Analyze(ctx, st); err != nil {
			return err
		}
		say(fmt.Sprintf("analyze: %s", time.Since(start).Round(time.Millisecond)))
	}
	size, err := databaseSize(ctx, st, *dsn)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "dataset: %d units, %d–%d, %d activities, %d attendance rows, %d users, database %.0f MB\n",
		len(ds.UnitIDs), ds.FirstYear, ds.EndYear, ds.Activities, ds.Attendance, ds.Users, float64(size)/(1<<20))
	if *genOnly {
		return nil
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	results, err := perf.Run(ctx, st, ds, run, say)
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	perf.Table(out, results)
	return nil
}

// databaseSize is the SQLite file (with its WAL) or the PostgreSQL tables of
// the current schema, indexes included.
func databaseSize(ctx context.Context, st *store.Store, dsn string) (int64, error) {
	if st.Dialect() == store.Postgres {
		var n int64
		err := st.DB().QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)),0)::bigint FROM pg_class c
			JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
		return n, err
	}
	var n int64
	for _, p := range []string{dsn, dsn + "-wal"} {
		if fi, err := os.Stat(strings.TrimPrefix(p, "file:")); err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}
