package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"zhendi/internal/metrics"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

// opsFlags are serve's health and metrics settings (issue 20 part 4).
type opsFlags struct {
	metricsToken string
	metricsAllow string
	minFreeMB    int
}

func (o *opsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.metricsToken, "metrics-token", env("ZHENDI_METRICS_TOKEN", ""), "读取 /metrics 所需的令牌（请求头 Authorization: Bearer 令牌）；与 --metrics-allow 都不设时 /metrics 拒绝所有请求")
	fs.StringVar(&o.metricsAllow, "metrics-allow", env("ZHENDI_METRICS_ALLOW", ""), "无需令牌即可读取 /metrics 的地址或网段，逗号分隔（如 127.0.0.1,10.0.0.0/8）")
	minFree, _ := strconv.Atoi(env("ZHENDI_MIN_FREE_MB", "512"))
	fs.IntVar(&o.minFreeMB, "min-free-mb", minFree, "数据目录可用空间低于多少 MB 时 /readyz 报告未就绪（0 不检查）")
}

// apply adds the metrics, their guard and the readiness threshold to the
// web configuration and makes the service report to the metrics.
func (o *opsFlags) apply(cfg *web.Config, svc *service.Service, st *store.Store, dataDir string) error {
	guard, err := metrics.NewGuard(o.metricsToken, o.metricsAllow)
	if err != nil {
		return err
	}
	if o.minFreeMB < 0 {
		return errors.New("--min-free-mb 不能为负数")
	}
	m := metrics.New(st.DB())
	svc.SetRecorder(m)
	cfg.Metrics, cfg.MetricsGuard = m, guard
	cfg.DataDir, cfg.MinFreeBytes = dataDir, uint64(o.minFreeMB)<<20
	return nil
}

// migrateStatus prints every migration the program carries, applied (with
// its time) or pending, without changing the database.
func migrateStatus(ctx context.Context, d *dbFlags, out io.Writer) error {
	dsn := d.db
	if dsn == "" {
		dsn = filepath.Join(d.data, "zhendi.db")
		if _, err := os.Stat(dsn); err != nil {
			return fmt.Errorf("数据库 %s 不存在（--data 或 --db 是否正确？）", dsn)
		}
	}
	s, err := store.Open(ctx, dsn, "")
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	pending := 0
	for _, m := range list {
		if m.Applied {
			fmt.Fprintf(out, "已应用  %05d  %s  %s\n", m.Version, m.File, m.AppliedAt.Local().Format("2006-01-02 15:04:05"))
		} else {
			pending++
			fmt.Fprintf(out, "待应用  %05d  %s\n", m.Version, m.File)
		}
	}
	if pending == 0 {
		fmt.Fprintf(out, "共 %d 个迁移，全部已应用，数据库结构是最新的。\n", len(list))
	} else {
		fmt.Fprintf(out, "共 %d 个迁移，%d 个待应用：运行 zhendi migrate（或启动 serve）时应用。\n", len(list), pending)
	}
	return nil
}
