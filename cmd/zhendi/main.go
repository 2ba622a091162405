// Command zhendi runs the 意识形态工作责任制 system: the web server and the
// administrative subcommands (migrate, user, backup, verify-audit).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/demo"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

const usage = `zhendi — 意识形态工作责任制管理系统

用法：
  zhendi serve [--config /etc/zhendi/zhendi.toml] [--addr 127.0.0.1:8080] [--data ./data] [--db 路径或postgres://URL] [--demo]
               [--tls-cert 证书.pem --tls-key 私钥.pem] [--trust-proxy 127.0.0.1,10.0.0.0/24] [--log-format text|json|journal]
  zhendi version（版本、提交、构建时间、Go 版本和支持的数据库）
  zhendi migrate      [--data ./data] [--db ...] [--status]（--status 列出已应用和待应用的迁移，不改动数据库）
  zhendi user create  --username 登录名 --name 姓名 --role sysadmin [--org 组织ID] [--unit-name 单位名称] [--password 密码]
  zhendi user reset   --username 登录名 [--password 密码]
  zhendi user list
  zhendi backup       --out 目录（运行中也可执行，生成一致的数据库副本并复制附件）
  zhendi verify-audit（校验审计日志哈希链、密钥和检查点，被篡改或截断时以非零状态退出）
  zhendi restore      --from 备份目录 [--force]（服务停止时执行：先校验备份的审计日志和附件，再替换数据库）
  zhendi report       --kind half-year --period 2023H1 --unit 单位ID --out 文件.docx（或 --district 区ID --out 目录）
  zhendi remind（立即检查一轮督导义务并发送提醒；服务器运行时每 10 分钟自动执行）
  zhendi screen       [--json] [--unit 单位ID | --terms 词库.tsv] 文件.txt|文件.docx|-（发布前筛查；有阻断级问题时退出状态为 1）
  zhendi channels     check --unit 单位ID（检查一轮阵地并逐个列出状态；触及单项否决时退出状态为 1）
  zhendi channels     import|export --unit 单位ID 文件.xlsx（阵地台账导入导出）
  zhendi opinion report --unit 单位ID --period 2023-06|2023-W27|2023H1 --out 文件.docx|文件.xlsx（舆情分析报告；--event 事件ID 生成事件研判报告）
  zhendi bench        [--db /tmp/bench.db] [--units 100 --years 10]（生成区县规模数据并测量页面响应时间）
  zhendi opinion import --unit 单位ID [--nats nats://127.0.0.1:4222] 文件.jsonl|文件.csv（导入舆情信息，打印入库、合并重复、方案命中、事件和每秒条数）
  zhendi opinion fetch  --unit 单位ID（立即采集一轮该单位的订阅源）
  zhendi assess score --unit 单位ID --year 2023 [--json]（逐项得分和来源）；--district 区ID 输出排名
  zhendi report       --kind assessment --year 2023 --district 区ID --out 通报.docx|排名.xlsx（考核结果通报）

所有参数也可写在配置文件中（--config 或 ZHENDI_CONFIG，TOML，键名即参数名；各命令都读取），
或用环境变量设置（ZHENDI_ 加大写的参数名，- 换成 _），优先级：命令行 > 环境变量 > 配置文件：ZHENDI_ADDR, ZHENDI_DATA, ZHENDI_DB, ZHENDI_DEMO=1,
ZHENDI_SECURE_COOKIES=1, ZHENDI_TRUST_PROXY=127.0.0.1, ZHENDI_TLS_CERT, ZHENDI_TLS_KEY, ZHENDI_LOG_FORMAT, ZHENDI_LATE_DAYS, ZHENDI_BASE_URL（提醒消息中的链接地址），
ZHENDI_AUDIT_KEY（审计密钥文件），ZHENDI_BACKUP_DIR, ZHENDI_SHUTDOWN_TIMEOUT，
ZHENDI_NATS（舆情处理经 NATS JetStream 分发到各节点，如 nats://127.0.0.1:4222），
ZHENDI_METRICS_TOKEN, ZHENDI_METRICS_ALLOW, ZHENDI_MIN_FREE_MB（/metrics 与 /readyz，见 serve --help）。
`

func main() {
	log, err := newLogger(os.Stderr, os.Getenv("ZHENDI_LOG_FORMAT"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "错误：", err)
		os.Exit(2)
	}
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if os.Args[1] != "serve" {
		// serve reads --config with its own flag set (strictly); the other
		// commands take the file's settings through the environment.
		rest, err := configEnv(os.Args[2:])
		if err != nil {
			fmt.Fprintln(os.Stderr, "错误：", err)
			os.Exit(2)
		}
		os.Args = append(os.Args[:2], rest...)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch os.Args[1] {
	case "version", "--version":
		err = versionCmd(os.Stdout)
	case "serve":
		err = serve(ctx, log, os.Args[2:])
	case "migrate":
		err = migrate(ctx, log, os.Args[2:])
	case "user":
		err = user(ctx, log, os.Args[2:], os.Stdout)
	case "backup":
		err = backup(ctx, log, os.Args[2:], os.Stdout)
	case "verify-audit":
		err = verifyAudit(ctx, log, os.Args[2:], os.Stdout)
	case "restore":
		err = restoreCmd(ctx, log, os.Args[2:], os.Stdout)
	case "bench":
		err = benchCmd(ctx, log, os.Args[2:], os.Stdout)
	case "report":
		err = reportCmd(ctx, log, os.Args[2:], os.Stdout, os.Stderr)
	case "remind":
		err = remindCmd(ctx, log, os.Args[2:], os.Stdout)
	case "screen":
		err = screenCmd(ctx, log, os.Args[2:], os.Stdin, os.Stdout)
	case "channels":
		err = channelsCmd(ctx, log, os.Args[2:], os.Stdout)
	case "opinion":
		err = opinionCmd(ctx, log, os.Args[2:], os.Stdout)
	case "assess":
		err = assessCmd(ctx, log, os.Args[2:], os.Stdout, os.Stderr)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "未知命令“%s”\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	var code exitCode
	if errors.As(err, &code) {
		os.Exit(int(code))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "错误：", err)
		os.Exit(1)
	}
}

// dbFlags are shared by every subcommand that opens the database.
type dbFlags struct {
	data     string
	db       string
	auditKey string
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envBool(key string) bool {
	v := strings.ToLower(os.Getenv(key))
	return v == "1" || v == "true" || v == "yes"
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.data, "data", env("ZHENDI_DATA", "data"), "数据目录（SQLite 数据库与附件）")
	fs.StringVar(&d.db, "db", env("ZHENDI_DB", ""), "SQLite 文件路径或 postgres:// URL（默认 数据目录/zhendi.db）")
	fs.StringVar(&d.auditKey, "audit-key", env("ZHENDI_AUDIT_KEY", ""), "审计密钥文件（默认 数据目录/audit.key；多个节点共用一个 PostgreSQL 时须指向同一密钥）")
}

func (d *dbFlags) postgres() bool {
	return strings.HasPrefix(d.db, "postgres://") || strings.HasPrefix(d.db, "postgresql://")
}

// auditFiles are the audit key and checkpoint; create lets the first start
// make the key.
func (d *dbFlags) auditFiles(create bool) store.AuditFiles {
	f := store.DefaultAuditFiles(d.data)
	if d.auditKey != "" {
		f.KeyPath = d.auditKey
	}
	f.Create = create
	return f
}

// openExisting opens a database that must already exist, for commands that
// only check or restore: a wrong --data fails instead of creating an empty
// database there. The audit log is opened read-only.
func (d *dbFlags) openExisting(ctx context.Context, log *slog.Logger) (*store.Store, error) {
	if st, err := os.Stat(d.data); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("数据目录 %s 不存在（--data 是否正确？）", d.data)
	}
	if d.db == "" {
		p := filepath.Join(d.data, "zhendi.db")
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("数据库 %s 不存在（--data 或 --db 是否正确？）", p)
		}
	}
	return d.openWith(ctx, log, d.auditFiles(false))
}

// open connects and migrates. Migrations only add, so running them at every
// start is safe and keeps a binary upgrade to one step.
func (d *dbFlags) open(ctx context.Context, log *slog.Logger) (*store.Store, error) {
	return d.openWith(ctx, log, d.auditFiles(true))
}

func (d *dbFlags) openWith(ctx context.Context, log *slog.Logger, af store.AuditFiles) (*store.Store, error) {
	dsn := d.db
	if dsn == "" {
		dsn = filepath.Join(d.data, "zhendi.db")
	}
	s, err := store.Open(ctx, dsn, filepath.Join(d.data, "files"))
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx, log); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.OpenAudit(ctx, af); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func serve(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	addr := fs.String("addr", env("ZHENDI_ADDR", "127.0.0.1:8080"), "监听地址（局域网访问用 0.0.0.0:8080）")
	withDemo := fs.Bool("demo", envBool("ZHENDI_DEMO"), "载入示范单位的演示数据（可重复执行，不会重复载入）")
	secure := fs.Bool("secure-cookies", envBool("ZHENDI_SECURE_COOKIES"), "Cookie 只经 HTTPS 发送（部署在 HTTPS 反向代理后时开启）")
	shutdownCap, _ := time.ParseDuration(env("ZHENDI_SHUTDOWN_TIMEOUT", "30s"))
	fs.DurationVar(&shutdownCap, "shutdown-timeout", shutdownCap, "停止时最多等待进行中的请求多久，到时断开仍未完成的连接并正常退出")
	lateDays, _ := strconv.Atoi(env("ZHENDI_LATE_DAYS", "7"))
	fs.IntVar(&lateDays, "late-days", lateDays, "登记日期比活动日期晚多少天及以上算作补记")
	backupDir := fs.String("backup-dir", env("ZHENDI_BACKUP_DIR", ""), "自动备份目录（默认 数据目录/backups；间隔和保留天数在“备份与保存期限”页面设置）")
	natsURL := fs.String("nats", env("ZHENDI_NATS", ""), "舆情处理经 NATS JetStream 分发（如 nats://127.0.0.1:4222），多个节点共用一个 PostgreSQL 时分担处理")
	var ops opsFlags
	ops.register(fs)
	chartFont := fs.String("chart-font", env("ZHENDI_CHART_FONT", ""), "Word 文档图表所用的中文字体文件（.ttf/.otf/.ttc）；默认在本机常见位置查找 Noto CJK、文泉驿等，找不到时文档不含图表、只保留表格")
	var so serveOpts // TLS, --trust-proxy, --log-format (tls.go)
	so.register(fs)
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	log, err := so.setup(log)
	if err != nil {
		return err
	}
	so.watchReload(ctx, log)
	if *backupDir == "" {
		*backupDir = filepath.Join(d.data, "backups")
	}
	// restore refuses to run while a server holds a SQLite data directory
	// (PostgreSQL nodes may share one: no lock there).
	if !d.postgres() {
		unlock, err := lockData(d.data)
		if err != nil {
			return err
		}
		defer unlock()
	}

	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	if *withDemo {
		start := time.Now()
		info, err := demo.Load(ctx, s)
		if err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
		log.Info("demo data ready", "took", time.Since(start).Round(time.Millisecond))
		printDemo(os.Stdout, info, *addr)
	} else if n, err := s.CountUsers(ctx); err == nil && n == 0 {
		fmt.Println("尚无任何账户。请先创建管理员：zhendi user create --username admin --name 管理员 --role sysadmin --unit-name 本单位名称")
	}
	svc := service.New(s, service.Config{LateDays: lateDays, BaseURL: so.baseURL, BackupDir: *backupDir, ChartFont: *chartFont}, log)
	wcfg := web.Config{SecureCookies: *secure, TrustedProxies: so.proxies}
	if err := ops.apply(&wcfg, svc, s, d.data); err != nil {
		return err
	}
	srv, err := web.New(wcfg, svc, log)
	if err != nil {
		return err
	}
	running := newInflight()
	hs := &http.Server{
		Addr: *addr, Handler: running.wrap(srv.Handler()), ConnState: running.connState,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	log.Info("zhendi listening", "url", so.scheme()+"://"+ln.Addr().String(), "db", s.Dialect())
	errc := make(chan error, 1)
	go func() { errc <- so.serve(hs, ln) }()
	// Background jobs run inside the server: closed networks have no
	// external cron to rely on. They stop when ctx ends; shutdown waits for
	// them so no round is cut off by the database closing under it.
	var jobs sync.WaitGroup
	jobs.Go(func() { svc.RunEvery(ctx, "supervision reminders", 10*time.Minute, svc.RemindRound) })
	// Hourly: SQLite advises a periodic optimize on long-lived connections,
	// and one round reads at most a few hundred rows per index.
	jobs.Go(func() { svc.RunEvery(ctx, "maintenance", time.Hour, svc.Maintain) })
	// Each node anchors its own checkpoint file: on every node, no lease.
	jobs.Go(func() { svc.RunEveryHere(ctx, "audit checkpoint", time.Second, svc.AnchorAudit) })
	jobs.Go(func() { svc.RunEvery(ctx, "automatic backup", 10*time.Minute, svc.BackupRound) })
	// 阵地 (issue 18): due channel checks (each channel hourly) and re-checks of closed findings.
	jobs.Go(func() { svc.RunEvery(ctx, "channel checks", 5*time.Minute, svc.CheckChannels) })
	jobs.Go(func() { svc.RunEvery(ctx, "site availability visits", time.Minute, svc.ProbeSitesJob) })
	// 舆情 alerts (opweb): once per event and rule, claimed under a key.
	jobs.Go(func() { svc.RunEvery(ctx, "opinion alerts", time.Minute, svc.AlertRound) })
	// Opinion pipeline (issue 17): feed polling, retention, NATS consumers.
	stopOpinion, err := startOpinionPipeline(ctx, &jobs, svc, *natsURL, log)
	if err != nil {
		return err
	}
	defer stopOpinion()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Finish requests in flight (an import mid-transaction commits or rolls
	// back as a whole) before the database closes.
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownCap)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); errors.Is(err, context.DeadlineExceeded) {
		// A client that keeps a request open (a slow upload, a stalled
		// connection) must not keep the server from stopping: past the cap
		// its connection is closed, its transaction (if any) rolls back,
		// and the log says what was cut off. Stopping is still a normal exit.
		log.Warn("shutdown cap reached, cutting off requests still running", "cap", shutdownCap, "cut_off", running.describe(time.Now()))
		hs.Close()
	} else if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	jobs.Wait()
	if err := s.WriteCheckpoint(context.Background()); err != nil {
		log.Error("audit checkpoint at shutdown", "err", err)
	}
	log.Info("stopped")
	return nil
}

func printDemo(w io.Writer, info demo.Info, addr string) {
	host := addr
	if strings.HasPrefix(host, ":") || strings.HasPrefix(host, "0.0.0.0:") {
		host = "127.0.0.1:" + host[strings.LastIndex(host, ":")+1:]
	}
	fmt.Fprintf(w, "\n演示数据已就绪。请用浏览器打开 http://%s 并登录，演示账户密码均为 %s\n", host, info.Password)
	for _, a := range info.Accounts {
		fmt.Fprintf(w, "  %-10s %s（%s）\n", a.Username, a.Name, a.Role)
	}
	fmt.Fprintln(w)
}

func migrate(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	status := fs.Bool("status", false, "只列出各迁移已应用或待应用，不改动数据库")
	fs.Parse(args)
	if *status {
		return migrateStatus(ctx, &d, os.Stdout)
	}
	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Println("数据库结构已是最新。")
	return nil
}

func user(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("用法：zhendi user create 或 reset 或 list")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	username := fs.String("username", "", "登录名")
	name := fs.String("name", "", "姓名")
	role := fs.String("role", "sysadmin", "角色："+roleList())
	orgID := fs.Int64("org", 0, "所在组织 ID（省略且给出 --unit-name 时新建该单位）")
	unitName := fs.String("unit-name", "", "新建单位的名称（全新安装时创建第一个单位）")
	password := fs.String("password", os.Getenv("ZHENDI_PASSWORD"), "密码（省略则生成随机密码并显示）")
	fs.Parse(args[1:])
	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	svc := service.New(s, service.Config{}, log)
	pw := *password
	generated := pw == ""
	if generated {
		pw = randomPassword()
	}
	switch args[0] {
	case "create":
		if *username == "" || *name == "" {
			return errors.New("须给出 --username 和 --name")
		}
		r := access.Role(*role)
		if !r.Valid() {
			return fmt.Errorf("未知角色“%s”，可选：%s", *role, roleList())
		}
		home := *orgID
		if home == 0 {
			if *unitName == "" {
				return errors.New("须给出 --org（已有组织的 ID）或 --unit-name（新建单位）")
			}
			n := org.Node{Kind: org.Unit, Name: *unitName}
			if err := svc.CreateNode(ctx, store.System, &n); err != nil {
				return err
			}
			home = n.ID
			fmt.Fprintf(out, "已创建单位「%s」（ID %d）\n", n.Name, n.ID)
		}
		node, err := s.Node(ctx, home)
		if err != nil {
			return fmt.Errorf("组织 %d：%w", home, err)
		}
		u := org.User{Username: *username, Name: *name, OrgID: node.ID, MustChange: generated,
			Grants: []access.Grant{{Role: r, OrgID: org.GrantNode(r, node)}}}
		if err := svc.CreateUser(ctx, store.System, &u, pw); err != nil {
			return err
		}
		fmt.Fprintf(out, "已创建用户 %s（%s，%s）\n", u.Username, u.Name, r.Label())
	case "reset":
		u, err := s.UserByUsername(ctx, *username)
		if err != nil {
			return fmt.Errorf("用户“%s”：%w", *username, err)
		}
		if err := svc.SetPassword(ctx, store.System, u.ID, pw, generated); err != nil {
			return err
		}
		if err := svc.Unlock(ctx, store.System, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(out, "已重置 %s 的密码并解除锁定\n", u.Username)
	case "list":
		units, err := s.AllUnitIDs(ctx)
		if err != nil {
			return err
		}
		all, err := s.Nodes(ctx, units, true)
		if err != nil {
			return err
		}
		for _, n := range all {
			fmt.Fprintf(out, "%s%d %s（%s）\n", strings.Repeat("  ", max(n.Depth, 0)), n.ID, n.Name, org.KindLabel(n.Kind))
		}
		users, err := s.Users(ctx, units, true)
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintf(out, "%-12s %s  %s  %s\n", u.Username, u.Name, u.OrgName, u.RoleLabels())
		}
		return nil
	default:
		return fmt.Errorf("未知的 user 子命令“%s”", args[0])
	}
	if generated {
		fmt.Fprintf(out, "初始密码：%s （首次登录须修改）\n", pw)
	}
	return nil
}

func roleList() string {
	var parts []string
	for _, r := range access.Roles {
		parts = append(parts, string(r)+"（"+r.Label()+"）")
	}
	return strings.Join(parts, " ")
}

func backup(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	dest := fs.String("out", "", "备份目录（不存在时创建；默认 数据目录/backups/时间戳）")
	fs.Parse(args)
	if *dest == "" {
		*dest = filepath.Join(d.data, "backups", time.Now().Format("20060102-150405"))
	}
	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.BackupTo(ctx, *dest)
	if errors.Is(err, store.ErrBackupNeedsSQLite) {
		return errors.New("PostgreSQL 数据库请用 pg_dump 备份，附件目录（数据目录/files）请一并复制")
	} else if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("备份目录 %s 中已有数据库副本，请换一个目录", *dest)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(out, "备份完成：%s （数据库 zhendi.db 与 %d 个附件文件）\n", *dest, n)
	return nil
}
