package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"zhendi/internal/audit"
	"zhendi/internal/ledger"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// dropAuditTriggers is what someone with database access does first.
func dropAuditTriggers(t *testing.T, s *store.Store) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if s.Dialect() == store.Postgres {
		stmts = []string{"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"}
	}
	for _, q := range stmts {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func mustVerify(t *testing.T, s *store.Store) store.AuditCheck {
	t.Helper()
	r, err := s.VerifyAuditReport(context.Background())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return r
}

func wantBreak(t *testing.T, s *store.Store, contains string) {
	t.Helper()
	_, err := s.VerifyAudit(context.Background())
	var br *audit.Break
	if !errors.As(err, &br) {
		t.Fatalf("want a break (%s), got %v", contains, err)
	}
	if !strings.Contains(err.Error(), contains) {
		t.Fatalf("break %q does not say %q", err, contains)
	}
}

func maxAuditID(t *testing.T, s *store.Store) int64 {
	var id int64
	if err := s.DB().QueryRow("SELECT MAX(id) FROM audit_log").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAuditDeleteNewestDetected: the probe. Deleting the newest
// rows is caught by the heads; rolling the heads back too is caught by the
// checkpoint; the next entry does not reuse a freed id.
func TestAuditDeleteNewestDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		for i := range 5 {
			if err := s.Audit(ctx, store.Actor{UserID: f.clerkA.ID, Name: "张专干"}, f.unitA.ID, "activity.export", "ledger", 0, map[string]int{"n": i}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.WriteCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
		mustVerify(t, s)
		top := maxAuditID(t, s)
		dropAuditTriggers(t, s)
		if _, err := s.DB().Exec("DELETE FROM audit_log WHERE id > $1", top-3); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, s, "最新的 3 条被删除")
		// The heads rolled back as well: the checkpoint outside the database still knows.
		var seq int64
		var hash string
		if err := s.DB().QueryRow("SELECT seq, hash FROM audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1", f.unitA.ID).Scan(&seq, &hash); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec("UPDATE audit_heads SET seq = $1, hash = $2 WHERE chain = $3", seq, hash, f.unitA.ID); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, s, "检查点记录单位")
		// The next entry does not take a freed id.
		if err := s.Audit(ctx, store.System, f.unitA.ID, "activity.export", "ledger", 0, nil); err != nil {
			t.Fatal(err)
		}
		if got := maxAuditID(t, s); got <= top {
			t.Fatalf("new entry took id %d, ids up to %d were given before", got, top)
		}
		wantBreak(t, s, "检查点")
	})
}

// TestAuditEmptyLogFails: an empty log (rows and heads deleted) does not verify.
func TestAuditEmptyLogFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		setup(t, s)
		dropAuditTriggers(t, s)
		for _, q := range []string{"DELETE FROM audit_log", "DELETE FROM audit_heads"} {
			if _, err := s.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		wantBreak(t, s, "日志为空")
	})
}

// TestAuditRehashFails: the 20-line script — edit one row and
// re-hash it and every later row the way the chain is built — fails
// without the key, at the edited row.
func TestAuditRehashFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		setup(t, s)
		dropAuditTriggers(t, s)
		rows, err := s.DB().Query("SELECT id, v, COALESCE(chain,0), COALESCE(seq,0), at_us, COALESCE(actor_id,0), actor_name, COALESCE(org_id,0), action, object_type, COALESCE(object_id,0), before_json, after_json, ip, prev_hash, hash FROM audit_log ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var all []audit.Entry
		for rows.Next() {
			var e audit.Entry
			if err := rows.Scan(&e.ID, &e.Version, &e.Chain, &e.Seq, &e.AtMicro, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash); err != nil {
				t.Fatal(err)
			}
			all = append(all, e)
		}
		rows.Close()
		target := all[3].ID
		guess := make(audit.Key, audit.KeySize) // the attacker has the database, not the key
		prev := map[int64]string{}
		for i, e := range all {
			if e.ID == target {
				e.ActorName = "篡改"
			}
			if e.ID >= target {
				if p, ok := prev[e.Chain]; ok {
					e.PrevHash = p
				}
				e.Seal(guess, e.PrevHash)
				if _, err := s.DB().Exec("UPDATE audit_log SET actor_name=$1, prev_hash=$2, hash=$3 WHERE id=$4", e.ActorName, e.PrevHash, e.Hash, e.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.DB().Exec("UPDATE audit_heads SET hash=$1 WHERE chain=$2 AND seq=$3", e.Hash, e.Chain, e.Seq); err != nil {
					t.Fatal(err)
				}
			}
			prev[e.Chain] = e.Hash
			all[i] = e
		}
		_, err = s.VerifyAudit(ctx)
		var br *audit.Break
		if !errors.As(err, &br) || br.ID != target {
			t.Fatalf("want a break at %d, got %v", target, err)
		}
	})
}

// TestAuditForgedCheckpointFails: a checkpoint edited by hand is refused.
func TestAuditForgedCheckpointFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		setup(t, s)
		if err := s.WriteCheckpoint(context.Background()); err != nil {
			t.Fatal(err)
		}
		path := s.AuditFilesInUse().CheckpointPath
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), `"max_id": `, `"max_id": 1`, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, s, "签名不符")
		os.Remove(path)
		wantBreak(t, s, "不存在")
	})
}

// TestAuditLegacyChainSealed: entries of the old unkeyed format (written
// before migration 00011) stay verifiable after the switch, and the switch
// point records them: cutting the old chain afterwards fails.
func TestAuditLegacyChainSealed(t *testing.T) {
	storetest.EachUnkeyed(t, func(t *testing.T, s *store.Store, dir string) {
		ctx := context.Background()
		prev := audit.Genesis
		for i := int64(1); i <= 4; i++ {
			e := audit.Entry{Version: audit.V1, ID: i, AtMicro: 1_700_000_000_000_000 + i, ActorName: "系统", Action: "org.create", ObjectType: "org", ObjectID: i}
			e.PrevHash = prev
			sum := sha256.Sum256(e.Canonical())
			e.Hash = hex.EncodeToString(sum[:])
			prev = e.Hash
			if _, err := s.DB().Exec(`INSERT INTO audit_log (id, at_us, actor_name, action, object_type, object_id, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
				e.ID, e.AtMicro, e.ActorName, e.Action, e.ObjectType, e.ObjectID, e.PrevHash, e.Hash); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.DB().Exec("UPDATE audit_heads SET seq = 4 WHERE chain = -1"); err != nil && s.Dialect() == store.SQLite {
			t.Fatal(err)
		} else if s.Dialect() == store.Postgres {
			if _, err := s.DB().Exec("SELECT setval('audit_ids', 5, false)"); err != nil {
				t.Fatal(err)
			}
		}
		// Before the first start: read-only verification checks the old chain.
		ro := store.DefaultAuditFiles(dir)
		ro.Create = false
		if err := s.OpenAudit(ctx, ro); err != nil {
			t.Fatal(err)
		}
		r := mustVerify(t, s)
		if !r.LegacyOnly || r.Entries != 4 {
			t.Fatalf("legacy check: %+v", r)
		}
		// First start: key created, genesis seals the 4 old entries.
		if err := s.OpenAudit(ctx, store.DefaultAuditFiles(dir)); err != nil {
			t.Fatal(err)
		}
		if err := s.Audit(ctx, store.System, 0, "settings.security", "settings", 0, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
		r = mustVerify(t, s)
		if r.Legacy != 4 || r.Entries != 6 || r.LegacyOnly {
			t.Fatalf("after switch: %+v", r)
		}
		dropAuditTriggers(t, s)
		if _, err := s.DB().Exec("DELETE FROM audit_log WHERE id = 4"); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, s, "旧格式记录")
	})
}

// TestAuditKeyRules: a log with keyed entries refuses a missing or another
// key, and a read-only open never creates a key.
func TestAuditKeyRules(t *testing.T) {
	storetest.EachUnkeyed(t, func(t *testing.T, s *store.Store, dir string) {
		ctx := context.Background()
		ro := store.DefaultAuditFiles(dir)
		ro.Create = false
		if err := s.OpenAudit(ctx, ro); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(ro.KeyPath); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("read-only open created a key: %v", err)
		}
		wantBreak(t, s, "日志为空")
		if err := s.OpenAudit(ctx, store.DefaultAuditFiles(dir)); err != nil {
			t.Fatal(err)
		}
		other := t.TempDir()
		if err := s.OpenAudit(ctx, store.AuditFiles{KeyPath: filepath.Join(other, "audit.key"), CheckpointPath: filepath.Join(other, "cp"), Create: true}); !errors.Is(err, store.ErrAuditKeyMissing) {
			t.Fatalf("missing key: %v", err)
		}
		os.WriteFile(filepath.Join(other, "audit.key"), []byte(strings.Repeat("ab", 32)), 0o600)
		if err := s.OpenAudit(ctx, store.AuditFiles{KeyPath: filepath.Join(other, "audit.key"), CheckpointPath: filepath.Join(other, "cp"), Create: true}); !errors.Is(err, store.ErrAuditKeyMismatch) {
			t.Fatalf("wrong key: %v", err)
		}
	})
}

// TestAuditParallelUnits: 20 writers over 5 units append at once; every
// chain stays consecutive and the whole log verifies.
func TestAuditParallelUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for w := range 20 {
			wg.Go(func() {
				for i := range 10 {
					if err := s.Audit(ctx, store.Actor{Name: fmt.Sprint("w", w)}, int64(100+w%5), "activity.export", "ledger", 0, map[string]int{"i": i}); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if err := s.WriteCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
		r := mustVerify(t, s)
		for u := int64(100); u < 105; u++ {
			if r.Chains[u].Seq != 40 {
				t.Fatalf("chain %d has %d entries, want 40", u, r.Chains[u].Seq)
			}
		}
	})
}

// TestImportNamesCreatedIDs: the import's log entry lists the ids it made.
func TestImportNamesCreatedIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		var acts []ledger.Activity
		for i := range 3 {
			acts = append(acts, ledger.Activity{OrgID: f.deptA.ID, Type: ledger.BusinessLecture, Title: fmt.Sprintf("讲座%d", i),
				Date: "2023-02-01", LeadName: "专家", ImportKey: fmt.Sprintf("k%d", i)})
		}
		actor := store.Actor{UserID: f.clerkA.ID}
		batch := previewBatch(t, s, actor, f.unitA.ID, len(acts))
		if _, err := s.ImportActivities(ctx, actor, f.unitA.ID, batch, acts, importRule(f.scA, f.unitA.ID), true); err != nil {
			t.Fatal(err)
		}
		got, err := s.ListAudit(ctx, store.AuditFilter{OrgIDs: []int64{f.unitA.ID}, Action: "activity.import", Limit: 5})
		if err != nil || len(got) != 1 {
			t.Fatalf("%v %v", got, err)
		}
		want := fmt.Sprintf(`"ids":"%d-%d"`, acts[0].ID, acts[2].ID)
		if acts[0].ID == 0 || !strings.Contains(got[0].After, want) {
			t.Fatalf("import entry %s lacks %s", got[0].After, want)
		}
	})
}
