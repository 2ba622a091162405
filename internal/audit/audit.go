// Package audit defines the append-only, hash-chained audit log entry and its
// canonical encoding. Each entry's hash covers the previous entry's hash, so
// altering or removing any row breaks the chain from that row on; Verify finds
// the first break. Storage lives in internal/store.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one audit record.
type Entry struct {
	ID         int64
	AtMicro    int64 // unix microseconds, UTC
	ActorID    int64 // 0 for the system or an anonymous failed login
	ActorName  string
	OrgID      int64 // unit the change belongs to (0: installation-wide)
	Action     string
	ObjectType string
	ObjectID   int64
	Before     string // canonical JSON of the object before, "" when created
	After      string // canonical JSON after, "" when deleted
	IP         string
	PrevHash   string
	Hash       string
}

// Canonical is the byte string the hash covers: every field but ID and Hash,
// length-prefixed so no two different entries encode the same way.
func (e Entry) Canonical() []byte {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field("zhendi-audit-v1")
	field(e.PrevHash)
	field(strconv.FormatInt(e.AtMicro, 10))
	field(strconv.FormatInt(e.ActorID, 10))
	field(e.ActorName)
	field(strconv.FormatInt(e.OrgID, 10))
	field(e.Action)
	field(e.ObjectType)
	field(strconv.FormatInt(e.ObjectID, 10))
	field(e.Before)
	field(e.After)
	field(e.IP)
	return []byte(b.String())
}

// ComputeHash returns the hex SHA-256 of the canonical encoding.
func (e Entry) ComputeHash() string {
	sum := sha256.Sum256(e.Canonical())
	return hex.EncodeToString(sum[:])
}

// Seal sets PrevHash and Hash for an entry appended after prev.
func (e *Entry) Seal(prev string) {
	e.PrevHash = prev
	e.Hash = e.ComputeHash()
}

// Snapshot encodes a value as canonical JSON for Before/After (encoding/json
// sorts map keys and keeps struct field order, so the text is stable).
func Snapshot(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// Break describes the first entry where the chain does not hold.
type Break struct {
	ID     int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("审计日志第 %d 条被篡改或缺失：%s", b.ID, b.Reason)
}

// Verifier checks entries one by one in id order.
type Verifier struct {
	prev   string
	lastID int64
	n      int
}

// NewVerifier starts a verification at the beginning of the log.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis} }

// Next checks one entry; it returns a *Break at the first broken link.
func (v *Verifier) Next(e Entry) error {
	v.n++
	if v.lastID != 0 && e.ID != v.lastID+1 {
		return &Break{ID: v.lastID + 1, Reason: fmt.Sprintf("编号不连续，下一条是 %d（有记录被删除）", e.ID)}
	}
	if v.lastID == 0 && e.ID != 1 {
		return &Break{ID: 1, Reason: fmt.Sprintf("日志不是从第 1 条开始，第一条是 %d（有记录被删除）", e.ID)}
	}
	if e.PrevHash != v.prev {
		return &Break{ID: e.ID, Reason: "前序哈希与上一条不符"}
	}
	if got := e.ComputeHash(); got != e.Hash {
		return &Break{ID: e.ID, Reason: "内容与哈希不符"}
	}
	v.prev = e.Hash
	v.lastID = e.ID
	return nil
}

// Count is the number of entries checked so far.
func (v *Verifier) Count() int { return v.n }

// LastHash is the hash of the last verified entry.
func (v *Verifier) LastHash() string { return v.prev }
