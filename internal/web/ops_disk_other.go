//go:build !unix

package web

// freeBytes: no statfs here; /readyz skips the disk check (ok false).
func freeBytes(string) (uint64, bool, error) { return 0, false, nil }
