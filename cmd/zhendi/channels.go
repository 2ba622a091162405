package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"zhendi/internal/access"
	"zhendi/internal/channel"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// channelsCmd is `zhendi channels check|import|export --unit ID`: one
// checking round of a unit's 阵地 printed channel by channel (exit status 1
// when a single-veto item fails), and the registry to and from Excel.
func channelsCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("用法：zhendi channels check|import|export --unit 单位ID [文件.xlsx]")
	}
	sub := args[0]
	fs := flag.NewFlagSet("channels "+sub, flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	unit := fs.Int64("unit", 0, "单位ID")
	fs.Parse(args[1:])
	if *unit == 0 {
		return errors.New("须用 --unit 指定单位ID")
	}
	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	nodes, err := s.Nodes(ctx, []int64{*unit}, false)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(nodes, func(n org.Node) bool { return n.ID == *unit && n.Kind == org.Unit }) {
		return fmt.Errorf("单位 %d 不存在", *unit)
	}
	svc := service.New(s, service.Config{}, log)
	// The command acts for the installation's operator on one unit.
	sc := access.Scope{ReadUnits: []int64{*unit}, WriteUnits: []int64{*unit}}
	actor := store.Actor{Name: "命令行"}
	switch sub {
	case "check":
		return channelsCheck(ctx, svc, sc, *unit, out)
	case "export":
		if fs.NArg() != 1 {
			return errors.New("用法：zhendi channels export --unit 单位ID 文件.xlsx")
		}
		data, err := svc.ExportChannels(ctx, actor, sc, *unit)
		if err != nil {
			return err
		}
		if err := os.WriteFile(fs.Arg(0), data, 0o644); err != nil {
			return fmt.Errorf("写入 %s：%w", fs.Arg(0), err)
		}
		fmt.Fprintf(out, "已导出阵地台账到 %s。\n", fs.Arg(0))
		return nil
	case "import":
		if fs.NArg() != 1 {
			return errors.New("用法：zhendi channels import --unit 单位ID 文件.xlsx")
		}
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("读取 %s：%w", fs.Arg(0), err)
		}
		n, rows, err := svc.ImportChannels(ctx, actor, sc, *unit, data)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			for _, r := range rows {
				fmt.Fprintln(out, r.Error())
			}
			fmt.Fprintf(out, "有 %d 行有误，未导入任何阵地。\n", len(rows))
			return exitCode(1)
		}
		fmt.Fprintf(out, "已导入 %d 个阵地。\n", n)
		return nil
	}
	return fmt.Errorf("未知的子命令“%s”（check、import、export）", sub)
}

// channelsCheck runs one round for the unit and prints every channel.
func channelsCheck(ctx context.Context, svc *service.Service, sc access.Scope, unitID int64, out io.Writer) error {
	if _, err := svc.RunChannelChecks(ctx, unitID, service.CheckOptions{}); err != nil {
		fmt.Fprintln(out, "部分阵地检查结果未能保存：", err)
	}
	boards, err := svc.ChannelBoards(ctx, sc, []int64{unitID})
	if err != nil {
		return err
	}
	b := boards[unitID]
	finds, err := svc.Store().Findings(ctx, sc, store.FindingFilter{UnitIDs: []int64{unitID}, OpenOnly: true})
	if err != nil {
		return err
	}
	byCh := map[int64][]channel.Finding{}
	for _, f := range finds {
		byCh[f.ChannelID] = append(byCh[f.ChannelID], f)
	}
	for _, r := range b.Rows {
		state := r.Fresh.DaysText()
		if r.Fresh.Light == channel.Grey {
			state = "不考核"
		}
		fmt.Fprintf(out, "[%s] %s（%s）：%s，期限 %s", r.Fresh.Light.Label(), r.Name, r.Kind.Label(), state, r.Fresh.Rule.LimitText())
		if r.Open > 0 {
			fmt.Fprintf(out, "，未整改问题 %d 项", r.Open)
		}
		fmt.Fprintln(out)
		if a, ok := b.Avail[r.ID]; ok {
			fmt.Fprintln(out, "    可访问性："+a.Text())
		}
		for _, f := range byCh[r.ID] {
			line := "    - " + f.Kind.Label() + "：" + f.Detail
			if f.Sentence != "" {
				line += "（原句：" + f.Sentence + "）"
			}
			fmt.Fprintln(out, strings.ReplaceAll(line, "\n", " "))
		}
	}
	failing := channel.Failing(b.Vetoes)
	fmt.Fprintf(out, "共 %d 个阵地：正常 %d，临期 %d，超期 %d，不考核 %d。\n", len(b.Rows), b.Green, b.Amber, b.Red, b.Grey)
	if len(failing) == 0 {
		fmt.Fprintln(out, "单项否决指标：未触及。")
		return nil
	}
	for _, v := range failing {
		fmt.Fprintf(out, "单项否决：%s——%s\n", v.Name, v.Detail)
	}
	return exitCode(1)
}
