package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/report"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// reportCmd writes reports from the command line, for scheduled or batch
// use: one unit's report to a file (.docx, or .xlsx for the figures and the
// ledger annex), or one file per unit of a district plus a summary sheet.
func reportCmd(ctx context.Context, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db dbFlags
	db.register(fs)
	kindName := fs.String("kind", "half-year", "报告类型：half-year 半年总结，annual 年度总结，info-monthly 信息月通报，analysis 分析研判，shuzhi 述职")
	periodKey := fs.String("period", "", "期间，如 2023H1、2023、2023-05")
	unitID := fs.Int64("unit", 0, "单位编号（生成一个单位的报告）")
	districtID := fs.Int64("district", 0, "区县编号（为其下每个单位各生成一份，另加汇总表）")
	subject := fs.Int64("subject", 0, "述职人用户编号（仅 shuzhi）")
	out := fs.String("out", "", "输出：单个单位时为 .docx 或 .xlsx 文件；区县时为目录")
	lateDays := fs.Int("late-days", envInt("ZHENDI_LATE_DAYS", 7), "登记日期比活动日期晚多少天及以上算作补记")
	workers := fs.Int("workers", 2, "区县批量时并行生成的单位数")
	chartFont := fs.String("chart-font", env("ZHENDI_CHART_FONT", ""), "Word 文档图表所用的中文字体文件（.ttf/.otf/.ttc）；默认在本机常见位置查找 Noto CJK、文泉驿等，找不到时文档不含图表、只保留表格")
	if err := fs.Parse(args); err != nil {
		return err
	}
	kind, err := report.ParseKind(*kindName)
	if err != nil {
		return err
	}
	period, err := ledger.ParsePeriod(*periodKey)
	if err != nil {
		return err
	}
	if err := kind.PeriodOK(period); err != nil {
		return err
	}
	if *out == "" || (*unitID == 0) == (*districtID == 0) {
		return errors.New("请用 --unit 指定一个单位或用 --district 指定区县，并用 --out 指定输出")
	}
	st, err := db.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, service.Config{LateDays: *lateDays, ChartFont: *chartFont}, log)
	req := report.Request{Kind: kind, Period: period, SubjectID: *subject, LateDays: *lateDays}
	if *unitID != 0 {
		req.UnitID = *unitID
		r, err := buildForCLI(ctx, svc, req)
		if err != nil {
			return err
		}
		if err := writeReportFile(ctx, svc, r, *out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已生成 %s\n", *out)
		return nil
	}
	start := time.Now()
	n, err := reportDistrict(ctx, svc, req, *districtID, *out, *workers, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已为 %d 个单位生成报告和汇总表，保存在 %s，用时 %s\n", n, *out, time.Since(start).Round(time.Millisecond))
	return nil
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}

// systemScope reads the given units in full: the command line acts for the
// installation, as the server does for its administrators' backups.
func systemScope(units ...int64) access.Scope {
	return access.Scope{ReadUnits: units}
}

func buildForCLI(ctx context.Context, svc *service.Service, req report.Request) (*report.Report, error) {
	r, err := svc.BuildReport(ctx, systemScope(req.UnitID), req)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, fmt.Errorf("单位 %d 不存在", req.UnitID)
	}
	return r, err
}

func writeReportFile(ctx context.Context, svc *service.Service, r *report.Report, path string) error {
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".docx":
		d, err := r.DocCharts(svc.Charts())
		if err != nil {
			return err
		}
		if err := docx.Write(&buf, d); err != nil {
			return err
		}
	case ".xlsx":
		if r.Kind == report.InfoMonthly {
			// The bulletin's own workbook, the one its page downloads.
			b, err := svc.Store().InfoBulletin(ctx, systemScope(r.UnitID), r.UnitID, r.Period.Key)
			if err != nil {
				return err
			}
			data, err := b.XLSX()
			if err != nil {
				return err
			}
			return os.WriteFile(path, data, 0o644)
		}
		if err := svc.LoadReportAnnex(ctx, systemScope(r.UnitID), r); err != nil {
			return err
		}
		if err := r.WriteXlsx(&buf, ""); err != nil {
			return err
		}
	default:
		return fmt.Errorf("输出文件 %s 应以 .docx 或 .xlsx 结尾", path)
	}
	// A report written from the command line leaves the system too.
	detail := map[string]any{"title": r.Title, "kind": string(r.Kind), "period": r.Period.Key, "file": path, "via": "命令行"}
	if err := svc.RecordDownload(ctx, store.System, r.UnitID, "report.export", "report", 0, detail); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// safeName makes a unit name usable as a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
}

// reportDistrict writes one DOCX per unit of the district and a summary
// workbook, showing a progress bar on w.
func reportDistrict(ctx context.Context, svc *service.Service, req report.Request, districtID int64, dir string, workers int, w io.Writer) (int, error) {
	units, err := svc.Store().UnitsUnder(ctx, districtID)
	if err != nil {
		return 0, err
	}
	if len(units) == 0 {
		return 0, fmt.Errorf("区县 %d 下没有单位", districtID)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	bar := progressBar{w: w, total: len(units)}
	finished := 0
	// Each unit's DOCX is rendered and written as soon as it is built, so
	// memory holds the figures of the district, not its documents.
	reports, err := svc.BuildReports(ctx, systemScope(units...), req, units, workers, func(i int, r *report.Report) error {
		name := fmt.Sprintf("%03d-%s-%s.docx", i+1, safeName(r.UnitName), req.Period.Key)
		if err := writeReportFile(ctx, svc, r, filepath.Join(dir, name)); err != nil {
			return err
		}
		finished++
		bar.show(finished, r.UnitName)
		return nil
	})
	bar.end()
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	title := fmt.Sprintf("%s各单位%s汇总", req.Period.Label, req.Kind.Label())
	if err := report.WriteSummary(&buf, title, reports); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "000-汇总.xlsx"), buf.Bytes(), 0o644); err != nil {
		return 0, err
	}
	return len(units), nil
}

// progressBar draws "[#####-----] 37/100 单位名" on one terminal line.
type progressBar struct {
	w     io.Writer
	total int
}

func (p progressBar) show(n int, label string) {
	const width = 30
	filled := width * n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %-20s", strings.Repeat("#", filled), strings.Repeat("-", width-filled), n, p.total, label)
}

func (p progressBar) end() { fmt.Fprintln(p.w) }
