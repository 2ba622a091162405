package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"zhendi/internal/service"
)

// remindCmd runs one reminder round now (service.Remind): reminders due
// (sent once: deliveries already made are skipped), automatic
// rectification items, and retries of failed deliveries. The server runs the
// same round every few minutes by itself; this is for checking the channel
// settings or catching up after downtime.
func remindCmd(ctx context.Context, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("remind", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	base := fs.String("base-url", env("ZHENDI_BASE_URL", ""), "提醒消息中链接的前缀，例如 http://10.1.2.3:8080")
	fs.Parse(args)
	s, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := service.New(s, service.Config{BaseURL: *base}, log).Remind(ctx)
	if err != nil {
		return fmt.Errorf("督导提醒：%w", err)
	}
	fmt.Fprintf(out, "本轮发送提醒 %d 条（成功 %d，失败 %d，此前已发送跳过 %d），新增整改事项 %d 项。\n", rep.Reminders, rep.Sent, rep.Failed, rep.Skipped, rep.Rects)
	return nil
}
