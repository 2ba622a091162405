//go:build unix

package web

import "syscall"

// freeBytes is the space left to unprivileged users on dir's file system.
func freeBytes(dir string) (uint64, bool, error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return 0, true, err
	}
	return uint64(fs.Bavail) * uint64(fs.Bsize), true, nil
}
