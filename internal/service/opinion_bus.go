package service

import (
	"context"
	"encoding/json"
	"fmt"

	"zhendi/internal/opinion"
	"zhendi/internal/store"
)

// RawBus is a byte-level stream of one unit's messages (opbus.Bus).
type RawBus interface {
	Publish(ctx context.Context, unitID int64, payload []byte) error
}

// maxMessageBytes keeps a message well under NATS's default 1 MB limit.
const maxMessageBytes = 512 << 10

// jsonBus encodes items as JSON arrays, as many messages as their size
// needs.
type jsonBus struct{ raw RawBus }

// NewJSONBus is the OpinionBus over a raw stream.
func NewJSONBus(raw RawBus) OpinionBus { return jsonBus{raw} }

func (b jsonBus) Publish(ctx context.Context, unitID int64, items []opinion.Item) error {
	var chunk []json.RawMessage
	size := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		payload, err := json.Marshal(chunk)
		if err != nil {
			return err
		}
		chunk, size = chunk[:0], 0
		return b.raw.Publish(ctx, unitID, payload)
	}
	for _, it := range items {
		enc, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("encode item: %w", err)
		}
		if size+len(enc) > maxMessageBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		chunk = append(chunk, enc)
		size += len(enc) + 1
	}
	return flush()
}

// ProcessOpinionMessage is the NATS consumers' handler: it stores one
// message's items (IngestItems) and returns nil only after they are
// committed, so the message is acknowledged after the database has them.
// A message delivered again stores nothing twice.
func (s *Service) ProcessOpinionMessage(ctx context.Context, unitID int64, payload []byte) error {
	var items []opinion.Item
	if err := json.Unmarshal(payload, &items); err != nil {
		return fmt.Errorf("decode opinion message: %w", err)
	}
	for i := range items {
		items[i].UnitID = unitID
	}
	_, err := s.IngestItems(ctx, store.System, unitID, items)
	return err
}
