package service_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/demo"
	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// TestOverdueReviewReminded: information drafts whose review step is past
// its deadline remind that step's reviewers in-app, once.
func TestOverdueReviewReminded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2023, 7, 5, 9, 0, 0, 0, cntime.Zone)
		overdue, err := st.OverdueReviews(ctx, now.Unix())
		if err != nil {
			t.Fatal(err)
		}
		if len(overdue) == 0 {
			t.Fatal("the demo has drafts waiting in review past their deadline; none found")
		}
		var reviewers []int64
		for _, d := range overdue {
			ids, err := st.StepReviewers(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if id == d.AuthorID {
					t.Fatalf("author %d listed as reviewer of draft %d", id, d.ID)
				}
			}
			reviewers = append(reviewers, ids...)
		}
		if len(reviewers) == 0 {
			t.Fatal("no reviewers for overdue drafts")
		}
		sched := service.New(st, service.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		sched.SetClock(func() time.Time { return now })
		if _, err := sched.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		count := func(user int64) int {
			list, _, err := st.Notifications(ctx, user, 500)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range list {
				if strings.HasPrefix(x.Title, "【审核逾期】") {
					n++
				}
			}
			return n
		}
		first := count(reviewers[0])
		if first == 0 {
			t.Fatalf("reviewer %d got no overdue-review notification", reviewers[0])
		}
		if _, err := sched.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if again := count(reviewers[0]); again != first {
			t.Fatalf("overdue reminder repeated: %d then %d", first, again)
		}
	})
}
