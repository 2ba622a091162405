package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"zhendi/internal/service"
	"zhendi/internal/store"
)

// opinionReportCmd runs `zhendi opinion report --unit ID --period 2023-06
// --out F.docx|F.xlsx`: a unit's 舆情分析报告 for a week (2023-W27), a
// month (2023-06) or a half-year (2023H1), or with --event an event's
// 研判报告.
func opinionReportCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("opinion report", flag.ContinueOnError)
	fs.SetOutput(out)
	var d dbFlags
	d.register(fs)
	unit := fs.Int64("unit", 0, "单位编号")
	period := fs.String("period", "", "时段：月份 2023-06，周 2023-W27，半年 2023H1")
	event := fs.Int64("event", 0, "事件编号（生成该事件的研判报告，代替 --period）")
	path := fs.String("out", "", "输出文件：.docx 或 .xlsx")
	if err := fs.Parse(args); err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*path)), ".")
	if *unit == 0 || (*period == "") == (*event == 0) || (format != "docx" && format != "xlsx") {
		return errors.New("用法：zhendi opinion report --unit 单位ID --period 2023-06 --out 文件.docx|文件.xlsx（或用 --event 事件ID 代替 --period）")
	}
	st, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, service.Config{}, log)
	sc := systemScope(*unit)
	data, err := svc.OpinionPeriodReport(ctx, sc, *unit, *period)
	if *event != 0 {
		var u int64
		data, u, err = svc.OpinionEventReport(ctx, sc, *event)
		if err == nil && u != *unit {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		return err
	}
	file, err := svc.OpinionReportFile(ctx, *unit, data, format)
	if err != nil {
		return err
	}
	name := service.OpinionReportName(data)
	if err := svc.RecordDownload(ctx, store.System, *unit, "opinion.report.export", "opinion_report", 0,
		map[string]any{"title": name, "format": format, "file": *path, "via": "命令行"}); err != nil {
		return err
	}
	if err := os.WriteFile(*path, file, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "已生成 %s（%s，信息 %d 条，事件 %d 个，舆情处置 %d 件）\n", *path, name, data.Items, len(data.Events), len(data.Incidents))
	return nil
}
