package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
)

// newLogger builds the process's logger. format is text (logfmt lines with
// a timestamp), json (one JSON object a line, for log shippers), journal
// (logfmt without the timestamp journald adds itself, each line prefixed
// with its syslog priority, "<3>" for errors, so `journalctl -p warning`
// filters by level), or empty: journal when stderr is the journal stream
// systemd gave us, text otherwise.
func newLogger(w *os.File, format string) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "" {
		format = "text"
		if stderrIsJournal(w) {
			format = "journal"
		}
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "journal":
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}
		return slog.New(slog.NewTextHandler(&priorityWriter{w: w}, opts)), nil
	}
	return nil, fmt.Errorf("未知的日志格式“%s”，可选 text、json、journal", format)
}

// priorityWriter prefixes each record with its sd-daemon priority.
// slog's handlers write one record per Write call, and with the time
// dropped every record starts with its level= field, which is what the
// prefix is read from.
type priorityWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *priorityWriter) Write(b []byte) (int, error) {
	prio := "<6>" // info
	switch {
	case bytes.HasPrefix(b, []byte("level=ERROR")):
		prio = "<3>"
	case bytes.HasPrefix(b, []byte("level=WARN")):
		prio = "<4>"
	case bytes.HasPrefix(b, []byte("level=DEBUG")):
		prio = "<7>"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.w.Write(append([]byte(prio), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}
