package service_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhendi/internal/opbus"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

const natsURL = "nats://127.0.0.1:4222"

func needNATS(t *testing.T) {
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	if err != nil {
		t.Skip("no NATS server on 127.0.0.1:4222 (.ci/run starts one)")
	}
	c.Close()
}

// TestNATSMode: an import published to JetStream is stored by two
// consumer nodes; one is killed after committing a message but before
// acknowledging it, with more messages fetched and unacknowledged. Every
// item is stored exactly once.
func TestNATSMode(t *testing.T) {
	needNATS(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newOpFixture(t, st)
		cfg := opbus.Config{Stream: fmt.Sprintf("ZT_%s_%d", st.Dialect(), time.Now().UnixNano()), AckWait: 2 * time.Second, Batch: 4}
		pub, err := opbus.Connect(ctx, natsURL, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer pub.DeleteStream(context.Background())
		defer pub.Close()
		f.svc.SetOpinionBus(service.NewJSONBus(pub))

		const n = 3000
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `{"id":"n%d","title":"第%d号通报","text":"编号%d的事项（%x）已办结。"}`+"\n", i, i, i*7919, i*104729)
		}
		// Published in messages of at most 512 KB: several messages.
		res, err := f.svc.ImportOpinion(ctx, store.System, f.sc, f.unit, "n.jsonl", strings.NewReader(b.String()))
		if err != nil || res.Read != n || res.Stored != 0 {
			t.Fatalf("publish: %+v %v", res, err)
		}
		// Make the messages small enough to spread: publish a second file
		// in many small messages, one item each.
		for i := range 40 {
			line := fmt.Sprintf(`{"id":"s%d","title":"小消息%d","text":"单条消息%d，%x。"}`, i, i, i, i*31337)
			if _, err := f.svc.ImportOpinion(ctx, store.System, f.sc, f.unit, "s.jsonl", strings.NewReader(line)); err != nil {
				t.Fatal(err)
			}
		}
		total := n + 40

		// Node 1 dies after committing its third message, unacknowledged.
		node1 := service.New(st, service.Config{}, nil)
		bus1, err := opbus.Connect(ctx, natsURL, cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx1, kill := context.WithCancel(ctx)
		var handled1 atomic.Int32
		var wg sync.WaitGroup
		wg.Go(func() {
			bus1.Consume(ctx1, func(ctx context.Context, unit int64, payload []byte) error {
				if err := node1.ProcessOpinionMessage(ctx, unit, payload); err != nil {
					return err
				}
				if handled1.Add(1) == 3 {
					bus1.Close() // killed: the commit is done, the ack never leaves
					kill()
				}
				return nil
			}, nil)
		})
		// Node 2 starts a moment later and takes the rest, including what
		// node 1 held when it died.
		time.Sleep(300 * time.Millisecond)
		node2 := service.New(st, service.Config{}, nil)
		bus2, err := opbus.Connect(ctx, natsURL, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer bus2.Close()
		ctx2, stop2 := context.WithCancel(ctx)
		var handled2 atomic.Int32
		wg.Go(func() {
			bus2.Consume(ctx2, func(ctx context.Context, unit int64, payload []byte) error {
				handled2.Add(1)
				return node2.ProcessOpinionMessage(ctx, unit, payload)
			}, nil)
		})
		deadline := time.Now().Add(90 * time.Second)
		for time.Now().Before(deadline) {
			left, err := pub.Pending(ctx)
			if err == nil && left == 0 && count(t, st, "SELECT count(*) FROM opinion_items") == total {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		stop2()
		kill()
		wg.Wait()
		if got := count(t, st, "SELECT count(*) FROM opinion_items"); got != total {
			t.Errorf("%d items stored, want %d", got, total)
		}
		if got := count(t, st, "SELECT count(DISTINCT norm) FROM opinion_items"); got != total {
			t.Errorf("%d distinct texts, want %d (something stored twice)", got, total)
		}
		if got := count(t, st, "SELECT count(*) FROM opinion_seen"); got != total {
			t.Errorf("%d delivery keys, want %d", got, total)
		}
		if handled1.Load() < 3 || handled2.Load() == 0 {
			t.Errorf("node 1 handled %d, node 2 %d: the work was not shared", handled1.Load(), handled2.Load())
		}
		if left, _ := pub.Pending(ctx); left != 0 {
			t.Errorf("%d messages left in the stream", left)
		}
	})
}

func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
