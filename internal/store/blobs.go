package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Uploaded files live on disk under their SHA-256, apart from the rows that
// name them. A file is written before the transaction that records it: if
// the transaction then fails, the file is left over, which is harmless (a
// retry reuses it, and nothing points at it); a row never names a file that
// was not written.

// blobPath is where the file with this hash is kept. Files are named by
// content, written once and never changed, so copying the folder at any
// moment gives a consistent backup of every attachment the database names.
func (s *Store) blobPath(sum string) string {
	return filepath.Join(s.blobDir, sum[:2], sum)
}

// PutBlob stores data under its SHA-256 and returns the hex sum. The file is
// synced to disk before it gets its name, so a crash leaves either the
// whole file or none. Writing the same content twice is a no-op.
func (s *Store) PutBlob(data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	p := s.blobPath(sum)
	if _, err := os.Stat(p); err == nil {
		return sum, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", fmt.Errorf("create attachment folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return "", fmt.Errorf("create attachment file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write attachment: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("sync attachment: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("close attachment: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("store attachment: %w", err)
	}
	return sum, nil
}

// openBlob opens the stored file with this SHA-256 for reading; the caller
// closes it. A file the database names but the folder lacks (a restore that
// forgot files/) is an error, not ErrNotFound: the record exists.
func (s *Store) openBlob(sum string) (io.ReadSeekCloser, error) {
	f, err := os.Open(s.blobPath(sum))
	if err != nil {
		return nil, fmt.Errorf("open stored file %s: %w", sum, err)
	}
	return f, nil
}
