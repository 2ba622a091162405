package service

import "context"

// AnchorAudit is the audit checkpoint job (every second from zhendi serve):
// when this node appended since the last checkpoint, it signs the heads of
// every chain and writes them to the checkpoint file outside the database
// (store.WriteCheckpoint), so deleting the newest entries is detected
// later. A round with nothing new does no I/O.
func (s *Service) AnchorAudit(ctx context.Context) error {
	return s.st.CheckpointIfChanged(ctx)
}
