package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
)

// Head is the end of one chain: its last position and that entry's hash.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Checkpoint anchors the heads of every chain outside the database. It is
// written, signed with the audit key, after each batch of appends and at
// shutdown; Verify fails when the log no longer reaches a head it names.
type Checkpoint struct {
	AtMicro int64          `json:"at_us"`  // when it was taken, unix microseconds
	KeyID   string         `json:"key_id"` // Key.ID of the key that signed it
	MaxID   int64          `json:"max_id"` // highest entry id at the time
	Heads   map[int64]Head `json:"heads"`  // chain (unit id, 0 installation) → head
	MAC     string         `json:"mac"`    // HMAC-SHA256 of the JSON with MAC empty
}

func (c Checkpoint) mac(key Key) string {
	c.MAC = ""
	b, _ := json.Marshal(c) // map keys sorted: the encoding is stable
	m := hmac.New(sha256.New, key)
	m.Write([]byte("zhendi-audit-checkpoint;"))
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// Sign sets KeyID and MAC.
func (c *Checkpoint) Sign(key Key) {
	c.KeyID = key.ID()
	c.MAC = c.mac(key)
}

// Check reports whether the checkpoint was signed with key and not changed
// since.
func (c Checkpoint) Check(key Key) error {
	if c.KeyID != key.ID() {
		return fmt.Errorf("检查点由另一把密钥（编号 %s）签名，当前密钥编号 %s", c.KeyID, key.ID())
	}
	if !hmac.Equal([]byte(c.mac(key)), []byte(c.MAC)) {
		return fmt.Errorf("检查点签名不符，文件被改动过")
	}
	return nil
}

// Merge returns c with, for every chain, the further head of c and o, and
// the larger MaxID: two nodes writing one checkpoint never move it back.
func (c Checkpoint) Merge(o Checkpoint) Checkpoint {
	out := Checkpoint{AtMicro: max(c.AtMicro, o.AtMicro), MaxID: max(c.MaxID, o.MaxID), Heads: map[int64]Head{}}
	for k, h := range c.Heads {
		out.Heads[k] = h
	}
	for k, h := range o.Heads {
		if cur, ok := out.Heads[k]; !ok || h.Seq > cur.Seq {
			out.Heads[k] = h
		}
	}
	return out
}

// Chains lists the checkpoint's chains in order.
func (c Checkpoint) Chains() []int64 {
	var ks []int64
	for k := range c.Heads {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Verifier checks the log entry by entry in id order: version-1 entries as
// one unkeyed chain, version-2 entries per chain under the key, then (Finish)
// the heads the database keeps and the checkpoint.
type Verifier struct {
	key Key
	cp  *Checkpoint

	legacyPrev   string
	legacyLastID int64
	legacyCount  int64

	sawGenesis bool
	chains     map[int64]*Head
	cpReached  map[int64]bool
	maxID      int64
	n          int
}

// NewVerifier starts a verification at the beginning of the log. cp may be
// nil when there is no checkpoint to hold the log to (the caller decides
// whether that is acceptable).
func NewVerifier(key Key, cp *Checkpoint) *Verifier {
	return &Verifier{key: key, cp: cp, legacyPrev: Genesis, chains: map[int64]*Head{}, cpReached: map[int64]bool{}}
}

// Next checks one entry; it returns a *Break at the first broken link.
func (v *Verifier) Next(e Entry) error {
	v.n++
	v.maxID = max(v.maxID, e.ID)
	if e.Version != V2 {
		return v.nextLegacy(e)
	}
	if !v.sawGenesis {
		if e.Chain != 0 || e.Seq != 1 || e.Action != GenesisAction {
			return &Break{ID: e.ID, Reason: "缺少启用密钥链的起始记录（起始记录被删除）"}
		}
		var g GenesisDetail
		if err := json.Unmarshal([]byte(e.After), &g); err != nil {
			return &Break{ID: e.ID, Reason: "起始记录内容无法读取"}
		}
		if g.KeyID != v.key.ID() {
			return &Break{ID: e.ID, Reason: fmt.Sprintf("当前密钥（编号 %s）不是本日志的密钥（编号 %s），请使用本安装的 audit.key", v.key.ID(), g.KeyID)}
		}
		if g.LegacyCount != v.legacyCount || g.LegacyLastID != v.legacyLastID || g.LegacyHead != v.legacyPrev {
			return &Break{ID: e.ID, Reason: fmt.Sprintf("启用密钥链时有 %d 条旧格式记录（最后一条第 %d 条），现在只有 %d 条或内容不同", g.LegacyCount, g.LegacyLastID, v.legacyCount)}
		}
		v.sawGenesis = true
	}
	if e.Chain != e.OrgID {
		return &Break{ID: e.ID, Reason: "记录所在的链与所属单位不符（记录被移动）"}
	}
	st := v.chains[e.Chain]
	if st == nil {
		st = &Head{Hash: Genesis}
		v.chains[e.Chain] = st
	}
	switch {
	case e.Seq > st.Seq+1:
		return &Break{ID: e.ID, Reason: fmt.Sprintf("%s缺少第 %d 至 %d 项（有记录被删除）", chainName(e.Chain), st.Seq+1, e.Seq-1)}
	case e.Seq <= st.Seq:
		return &Break{ID: e.ID, Reason: fmt.Sprintf("%s的第 %d 项重复出现", chainName(e.Chain), e.Seq)}
	}
	if e.PrevHash != st.Hash {
		return &Break{ID: e.ID, Reason: "前序哈希与上一条不符"}
	}
	if !hmac.Equal([]byte(e.ComputeHash(v.key)), []byte(e.Hash)) {
		return &Break{ID: e.ID, Reason: "内容与哈希不符（记录被改动，或哈希被没有密钥的人重算）"}
	}
	st.Seq, st.Hash = e.Seq, e.Hash
	if v.cp != nil {
		if h, ok := v.cp.Heads[e.Chain]; ok && h.Seq == e.Seq {
			if h.Hash != e.Hash {
				return &Break{ID: e.ID, Reason: "与检查点记录的哈希不符（日志被改写）"}
			}
			v.cpReached[e.Chain] = true
		}
	}
	return nil
}

func (v *Verifier) nextLegacy(e Entry) error {
	if v.sawGenesis {
		return &Break{ID: e.ID, Reason: "旧格式记录出现在密钥链启用之后（记录被伪造）"}
	}
	if v.legacyLastID == 0 && e.ID != 1 {
		return &Break{ID: 1, Reason: fmt.Sprintf("日志不是从第 1 条开始，第一条是 %d（有记录被删除）", e.ID)}
	}
	if v.legacyLastID != 0 && e.ID != v.legacyLastID+1 {
		return &Break{ID: v.legacyLastID + 1, Reason: fmt.Sprintf("编号不连续，下一条是 %d（有记录被删除）", e.ID)}
	}
	if e.PrevHash != v.legacyPrev {
		return &Break{ID: e.ID, Reason: "前序哈希与上一条不符"}
	}
	if got := e.ComputeHash(nil); got != e.Hash {
		return &Break{ID: e.ID, Reason: "内容与哈希不符"}
	}
	v.legacyPrev = e.Hash
	v.legacyLastID = e.ID
	v.legacyCount++
	return nil
}

// Finish checks the end of the log once every entry has gone through Next:
// a genesis was seen (an empty log fails), every chain ends where the
// database's heads say, and the log reaches every head of the checkpoint.
func (v *Verifier) Finish(heads map[int64]Head) error {
	if !v.sawGenesis {
		return &Break{Reason: "没有密钥链的起始记录（日志为空，或起始记录被删除）"}
	}
	for _, c := range sortedKeys(v.chains) {
		got := *v.chains[c]
		h, ok := heads[c]
		switch {
		case !ok:
			return &Break{Reason: fmt.Sprintf("%s没有链头记录", chainName(c))}
		case h.Seq > got.Seq:
			return &Break{Reason: fmt.Sprintf("%s应有 %d 项，日志只到第 %d 项（最新的 %d 条被删除）", chainName(c), h.Seq, got.Seq, h.Seq-got.Seq)}
		case h != got:
			return &Break{Reason: fmt.Sprintf("%s的链头与日志不符", chainName(c))}
		}
	}
	for _, c := range sortedKeys(heads) {
		if _, ok := v.chains[c]; !ok && heads[c].Seq > 0 {
			return &Break{Reason: fmt.Sprintf("%s应有 %d 项，日志中一项也没有（记录被删除）", chainName(c), heads[c].Seq)}
		}
	}
	if v.cp == nil {
		return nil
	}
	for _, c := range v.cp.Chains() {
		h := v.cp.Heads[c]
		got := v.chains[c]
		if got == nil || got.Seq < h.Seq {
			n := int64(0)
			if got != nil {
				n = got.Seq
			}
			return &Break{Reason: fmt.Sprintf("检查点记录%s有 %d 项，日志只有 %d 项（最新的记录被删除）", chainName(c), h.Seq, n)}
		}
		if !v.cpReached[c] {
			return &Break{Reason: fmt.Sprintf("%s第 %d 项与检查点不符", chainName(c), h.Seq)}
		}
	}
	if v.cp.MaxID > v.maxID {
		return &Break{Reason: fmt.Sprintf("检查点时最大编号为 %d，日志最大编号只有 %d（最新的记录被删除）", v.cp.MaxID, v.maxID)}
	}
	return nil
}

// Count is the number of entries checked so far.
func (v *Verifier) Count() int { return v.n }

// Heads are the ends of the chains checked so far.
func (v *Verifier) Heads() map[int64]Head {
	out := map[int64]Head{}
	for c, h := range v.chains {
		out[c] = *h
	}
	return out
}

// LegacyCount is the number of version-1 entries checked.
func (v *Verifier) LegacyCount() int64 { return v.legacyCount }

// LegacyHead is the hash of the last version-1 entry (Genesis when none).
func (v *Verifier) LegacyHead() string { return v.legacyPrev }

// LegacyLastID is the id of the last version-1 entry (0 when none).
func (v *Verifier) LegacyLastID() int64 { return v.legacyLastID }

func chainName(c int64) string {
	if c == 0 {
		return "全局链（第 0 号）"
	}
	return fmt.Sprintf("单位 %d 的链", c)
}

func sortedKeys[V any](m map[int64]V) []int64 {
	var ks []int64
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
