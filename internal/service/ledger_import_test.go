package service

import (
	"context"
	"errors"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/store"
)

// TestOneImportPerUnit: while an import of a unit runs, a second preview
// or confirmation of that unit is refused with a Chinese message (before
// the file is read); another unit is not held up, and the unit is free
// again once the first ends.
func TestOneImportPerUnit(t *testing.T) {
	s := &Service{}
	ctx := context.Background()
	unlock, ok := s.importing.lock(7)
	if !ok {
		t.Fatal("first lock refused")
	}
	if _, err := s.PreviewImport(ctx, store.Actor{}, access.Scope{}, 7, "台账.xlsx", nil); !errors.Is(err, ErrImportBusy) ||
		err.Error() != "本单位正在导入另一份文件，请等它完成后再试。" {
		t.Errorf("second preview: %v", err)
	}
	if _, err := s.ConfirmImport(ctx, store.Actor{}, access.Scope{}, 7, 1, ""); !errors.Is(err, ErrImportBusy) {
		t.Errorf("confirm during import: %v", err)
	}
	other, ok := s.importing.lock(8)
	if !ok {
		t.Error("another unit is held up")
	} else {
		other()
	}
	unlock()
	again, ok := s.importing.lock(7)
	if !ok {
		t.Fatal("unit still locked after the import ended")
	}
	again()
}
