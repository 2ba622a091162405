// Package opbus carries opinion items between the nodes of a zhendi
// cluster over NATS JetStream (github.com/nats-io/nats.go and its
// jetstream package). Fetchers, the push API and imports publish batches
// of raw items; every node runs the same durable pull consumer, so the
// stream's messages are shared out among the nodes that are up, and a
// message is removed only after a node acknowledged it — which the node
// does after its database transaction committed. A node that dies
// mid-batch leaves its messages unacknowledged; JetStream gives them to
// another node after AckWait. Storage is idempotent (each item's source
// and id), so a message processed twice stores nothing twice.
//
// The payload is opaque here ([]byte): the service encodes the items, so
// this package stays a library with no project imports.
package opbus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config names the stream and consumer.
type Config struct {
	// Stream is the JetStream stream name (default "ZHENDI_OPINION");
	// tests use a unique one each.
	Stream string
	// Consumer is the durable consumer every node shares (default
	// "processors").
	Consumer string
	// AckWait is how long a node may hold a message before JetStream gives
	// it to another (default 2 minutes).
	AckWait time.Duration
	// Batch is how many messages a node fetches at once (default 8).
	Batch int
}

func (c Config) withDefaults() Config {
	if c.Stream == "" {
		c.Stream = "ZHENDI_OPINION"
	}
	if c.Consumer == "" {
		c.Consumer = "processors"
	}
	if c.AckWait <= 0 {
		c.AckWait = 2 * time.Minute
	}
	if c.Batch <= 0 {
		c.Batch = 8
	}
	return c
}

// Bus is one node's connection to the stream.
type Bus struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	cfg     Config
	subject string // prefix; a message's subject is prefix + unit id
}

// Connect connects to url and makes sure the stream (work-queue retention,
// file storage) and the durable consumer exist.
func Connect(ctx context.Context, url string, cfg Config) (*Bus, error) {
	cfg = cfg.withDefaults()
	nc, err := nats.Connect(url, nats.Name("zhendi"), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("JetStream: %w", err)
	}
	b := &Bus{nc: nc, js: js, cfg: cfg, subject: strings.ToLower(cfg.Stream) + ".raw."}
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      cfg.Stream,
		Subjects:  []string{b.subject + ">"},
		Retention: jetstream.WorkQueuePolicy,
		Storage:   jetstream.FileStorage,
		MaxAge:    30 * 24 * time.Hour,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("create stream %s: %w", cfg.Stream, err)
	}
	_, err = js.CreateOrUpdateConsumer(ctx, cfg.Stream, jetstream.ConsumerConfig{
		Durable:       cfg.Consumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: 1000,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("create consumer %s: %w", cfg.Consumer, err)
	}
	return b, nil
}

// Close drains nothing: unacknowledged messages go back to the stream.
func (b *Bus) Close() { b.nc.Close() }

// Publish sends one unit's payload and waits for the stream to store it.
func (b *Bus) Publish(ctx context.Context, unitID int64, payload []byte) error {
	if _, err := b.js.Publish(ctx, b.subject+strconv.FormatInt(unitID, 10), payload); err != nil {
		return fmt.Errorf("publish to %s: %w", b.cfg.Stream, err)
	}
	return nil
}

// Handler processes one message; it returns nil only once the message's
// effects are committed, and the message is acknowledged after that.
type Handler func(ctx context.Context, unitID int64, payload []byte) error

// Consume fetches and handles messages until ctx ends. A handler error
// leaves the message unacknowledged with a short delay (NAK), so it comes
// back, here or at another node. It returns nil when ctx ends.
func (b *Bus) Consume(ctx context.Context, h Handler, onErr func(error)) error {
	cons, err := b.js.Consumer(ctx, b.cfg.Stream, b.cfg.Consumer)
	if err != nil {
		return fmt.Errorf("consumer %s: %w", b.cfg.Consumer, err)
	}
	for ctx.Err() == nil {
		batch, err := cons.Fetch(b.cfg.Batch, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if onErr != nil {
				onErr(err)
			}
			sleep(ctx, time.Second)
			continue
		}
		for msg := range batch.Messages() {
			unitID, err := strconv.ParseInt(strings.TrimPrefix(msg.Subject(), b.subject), 10, 64)
			if err != nil {
				// Not ours to read: acknowledge so it does not come back forever.
				msg.Term()
				continue
			}
			if err := h(ctx, unitID, msg.Data()); err != nil {
				if onErr != nil {
					onErr(err)
				}
				if ctx.Err() == nil {
					msg.NakWithDelay(5 * time.Second)
				}
				continue
			}
			if err := msg.DoubleAck(ctx); err != nil && onErr != nil {
				onErr(fmt.Errorf("acknowledge: %w", err))
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
	}
	return nil
}

// Pending is how many messages wait in the stream (published, not yet
// acknowledged).
func (b *Bus) Pending(ctx context.Context) (uint64, error) {
	s, err := b.js.Stream(ctx, b.cfg.Stream)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// DeleteStream removes the stream (tests).
func (b *Bus) DeleteStream(ctx context.Context) error {
	return b.js.DeleteStream(ctx, b.cfg.Stream)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
