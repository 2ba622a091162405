//go:build !unix

package main

import "os"

// stderrIsJournal: journald exists only on Linux.
func stderrIsJournal(*os.File) bool { return false }
