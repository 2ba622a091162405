//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// errDataInUse: another zhendi process (a running server) holds the data
// directory.
var errDataInUse = errors.New("数据目录正被运行中的 zhendi 服务使用，请先停止服务（restore 不会停止它没有启动的进程）")

// lockData takes an exclusive lock on the data directory's zhendi.lock for
// as long as the process runs: serve holds it, restore needs it free. The
// lock is the kernel's (flock), so it goes away with the process even
// after kill -9.
func lockData(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "zhendi.lock"), os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errDataInUse
		}
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	return func() { f.Close() }, nil
}
