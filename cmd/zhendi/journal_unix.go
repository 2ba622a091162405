//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// stderrIsJournal follows systemd's advice for choosing the journal format:
// JOURNAL_STREAM holds "device:inode" of the stream it connected, and it
// only counts when that is still our stderr (a unit may redirect it to a
// file, and children inherit the variable).
func stderrIsJournal(f *os.File) bool {
	want := os.Getenv("JOURNAL_STREAM")
	if want == "" {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	return fmt.Sprintf("%d:%d", st.Dev, st.Ino) == want
}
