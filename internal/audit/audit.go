// Package audit defines the append-only audit log: the entry, its canonical
// encoding, the keyed per-unit hash chains, the checkpoint that anchors the
// chains' heads outside the database, and the verifier. Storage lives in
// internal/store; this package does no I/O.
//
// Two formats live side by side in one table:
//
//   - Version 1 (before migration 00011): one chain for the whole
//     installation, SHA-256 over the previous hash and the entry, ids
//     consecutive from 1. Anyone who could write the table could rebuild it.
//   - Version 2: HMAC-SHA256 with a key kept outside the database (a file in
//     the data directory, see store.AuditFiles), one chain per unit (chain =
//     the entry's unit, 0 for installation-wide events) so units write in
//     parallel, positions (Seq) consecutive within each chain, ids from a
//     counter that never goes back. The first version-2 entry, chain 0 seq 1,
//     is the genesis: it records how many version-1 entries there were and
//     the last one's hash, so the old chain is sealed under the key and
//     cutting it is detected, and it names the key (KeyID), so a wrong key
//     is reported as such rather than as tampering.
//
// The heads (last Seq and hash of every chain) are kept in the database for
// appends and written, signed with the same key, to a checkpoint file after
// every batch of appends and at shutdown. Deleting the newest rows (and
// rolling back the heads) leaves the chain shorter than the checkpoint, which
// Verify reports; so does an empty log, which has no genesis.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Genesis is the previous hash of the first entry of a chain.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry versions.
const (
	V1 = 1 // unkeyed SHA-256, one global chain (entries written before migration 00011)
	V2 = 2 // HMAC-SHA256, one chain per unit
)

// GenesisAction is the action of chain 0's first version-2 entry.
const GenesisAction = "audit.genesis"

// Entry is one audit record.
type Entry struct {
	ID         int64
	Version    int
	Chain      int64 // V2: the chain (unit id, 0 installation-wide)
	Seq        int64 // V2: position in the chain, from 1
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

// Canonical is the byte string the hash covers: every field but Hash (and,
// for version 1, ID, Chain and Seq), length-prefixed so no two different
// entries encode the same way.
func (e Entry) Canonical() []byte {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	num := func(n int64) { field(strconv.FormatInt(n, 10)) }
	if e.Version == V2 {
		field("zhendi-audit-v2")
		num(e.ID)
		num(e.Chain)
		num(e.Seq)
	} else {
		field("zhendi-audit-v1")
	}
	field(e.PrevHash)
	num(e.AtMicro)
	num(e.ActorID)
	field(e.ActorName)
	num(e.OrgID)
	field(e.Action)
	field(e.ObjectType)
	num(e.ObjectID)
	field(e.Before)
	field(e.After)
	field(e.IP)
	return []byte(b.String())
}

// ComputeHash returns the entry's hash as 64 hex digits: SHA-256 of the
// canonical encoding for version 1, HMAC-SHA256 under key for version 2.
func (e Entry) ComputeHash(key Key) string {
	if e.Version == V2 {
		m := hmac.New(sha256.New, key)
		m.Write(e.Canonical())
		return hex.EncodeToString(m.Sum(nil))
	}
	sum := sha256.Sum256(e.Canonical())
	return hex.EncodeToString(sum[:])
}

// Seal sets PrevHash and Hash for an entry appended after prev.
func (e *Entry) Seal(key Key, prev string) {
	e.PrevHash = prev
	e.Hash = e.ComputeHash(key)
}

// Key is the secret of the version-2 chains: 32 random bytes.
type Key []byte

// KeySize is the length of a Key in bytes.
const KeySize = 32

// ID names the key without revealing it: the first 16 hex digits of
// HMAC(key, "zhendi-audit-key-id"). The genesis entry and every checkpoint
// record it.
func (k Key) ID() string {
	m := hmac.New(sha256.New, k)
	m.Write([]byte("zhendi-audit-key-id"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// ParseKey reads a key file's text: 64 hex digits, surrounding space ignored.
func ParseKey(text string) (Key, error) {
	b, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(b) != KeySize {
		return nil, fmt.Errorf("审计密钥文件格式不对：应为 %d 位十六进制数", KeySize*2)
	}
	return Key(b), nil
}

// String is the key file's text (64 hex digits and a newline).
func (k Key) String() string { return hex.EncodeToString(k) + "\n" }

// GenesisDetail is the After of the genesis entry: the version-1 chain it
// seals and the key it starts.
type GenesisDetail struct {
	KeyID        string `json:"key_id"`
	LegacyCount  int64  `json:"legacy_count"`
	LegacyLastID int64  `json:"legacy_last_id"`
	LegacyHead   string `json:"legacy_head"`
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

// Break describes the first entry where the chain does not hold. ID 0 means
// the log as a whole (missing genesis, heads or checkpoint ahead of the log).
type Break struct {
	ID     int64
	Reason string
}

func (b *Break) Error() string {
	if b.ID == 0 {
		return "审计日志不完整：" + b.Reason
	}
	return fmt.Sprintf("审计日志第 %d 条被篡改或缺失：%s", b.ID, b.Reason)
}

// MaskName shortens a name typed at a failed login before it is logged: a
// password typed into the name field must not end up readable in the log.
// It keeps the first character and the length ("z***（共 8 字）").
func MaskName(typed string) string {
	r := []rune(typed)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + "***（共 " + strconv.Itoa(len(r)) + " 字）"
}
