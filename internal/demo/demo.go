// Package demo loads a demonstration bureau, 示范区农业农村局, whose ledger
// for the first half of 2023 gives real numbers to every "*" of the seed
// report (局党组上半年意识形态工作总结): 党组集中学习, 党政工作会, 党组成员上党课,
// 为服务对象宣讲, 分析研判报告, together with the weaknesses the seed admits:
// one missed 支委会, one 必修课 not yet studied, a required topic study still
// owed for the second half, and records back-filled just before the report.
//
// Everything is deterministic and goes through the store API, so the demo
// is audited like any other change and works on SQLite and PostgreSQL.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/cntime"
	"zhendi/internal/docx"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// Password is the shared password of every demo account.
const Password = "Demo2023zhendi"

// Info describes a loaded demo.
type Info struct {
	UnitID, DistrictID int64
	Password           string
	Accounts           []Account
}

// Account is one demo login worth trying, for the console.
type Account struct {
	Username, Name, Role string
}

// H1 is the half-year the demo ledger covers.
const (
	H1From = "2023-01-01"
	H1To   = "2023-06-30"
)

// cntime.Zone is China Standard Time, in which activities happen and are recorded.

// loader is the actor of the organisation and account changes.
var loader = store.Actor{Name: "系统（加载演示数据）"}

// Load creates the demo bureau unless it already exists, and returns its
// accounts. Loading is idempotent: when the demo unit and its ledger are
// there, nothing is written. A load interrupted half-way is completed by the
// next call (nodes, users and plan items are looked up before being created;
// the ledger is inserted in one transaction).
func Load(ctx context.Context, s *store.Store) (Info, error) {
	info := Info{Password: Password, Accounts: accounts()}
	ids, err := ensureTree(ctx, s)
	if err != nil {
		return info, err
	}
	info.UnitID, info.DistrictID = ids[codeUnit], ids[codeDistrict]
	users, err := ensureUsers(ctx, s, ids)
	if err != nil {
		return info, err
	}
	clerk, err := s.User(ctx, users[uClerk])
	if err != nil {
		return info, fmt.Errorf("demo clerk: %w", err)
	}
	sc, err := service.New(s, service.Config{}, nil).ScopeOf(ctx, clerk)
	if err != nil {
		return info, fmt.Errorf("demo clerk scope: %w", err)
	}
	actor := store.Actor{UserID: clerk.ID, Name: clerk.Name}
	if err := loadSupervise(ctx, s, info.UnitID, users); err != nil {
		return info, fmt.Errorf("demo supervision: %w", err)
	}
	if err := loadInfo(ctx, s, info.UnitID, ids, users); err != nil {
		return info, fmt.Errorf("demo information: %w", err)
	}
	// Opinion monitoring (issue 17): schemes and a month of items.
	if err := loadOpinion(ctx, s, info.UnitID, actor, sc); err != nil {
		return info, fmt.Errorf("demo opinion: %w", err)
	}
	// How the bureau's documents are finished (落款, 主送机关, 版记); set once.
	ds, err := s.DocSettings(ctx, info.UnitID)
	if err != nil {
		return info, err
	}
	if ds == (org.DocSettings{}) {
		ds = org.DocSettings{Issuer: "中共示范区农业农村局党组", Recipient: "中共示范区委宣传部",
			CC: "区委办公室、区纪委监委派驻纪检监察组", Printer: "示范区农业农村局办公室"}
		if err := s.SetDocSettings(ctx, actor, sc, info.UnitID, ds); err != nil {
			return info, fmt.Errorf("demo document settings: %w", err)
		}
	}
	has, err := hasLedger(ctx, s, sc, info.UnitID)
	if err != nil || has {
		return info, err
	}
	plans, err := ensurePlan(ctx, s, actor, sc, info.UnitID, users)
	if err != nil {
		return info, err
	}
	acts, err := build(refs{unit: info.UnitID, nodes: ids, users: users, plans: plans})
	if err != nil {
		return info, err
	}
	validUntil := time.Date(planYear, 12, 31, 23, 0, 0, 0, cntime.Zone)
	for i := range acts {
		if err := acts[i].Validate(validUntil); err != nil {
			return info, fmt.Errorf("demo entry %q: %w", acts[i].Title, err)
		}
	}
	for i := range acts {
		// A 分析研判 counts only with its report document, so the demo's
		// report comes with one (a Word file of its summary).
		if t, _ := ledger.TypeByCode(acts[i].Type); t.Report {
			doc, err := docx.Bytes(docx.Doc{Title: acts[i].Title, Blocks: []docx.Block{docx.Para{Text: acts[i].Content}}})
			if err != nil {
				return info, fmt.Errorf("demo report document: %w", err)
			}
			sum, err := s.PutBlob(doc)
			if err != nil {
				return info, fmt.Errorf("demo report document: %w", err)
			}
			acts[i].Attachments = []ledger.Attachment{{Name: acts[i].Title + ".docx", Kind: "report", SHA256: sum, Size: int64(len(doc)),
				Mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}}
		}
	}
	if err := s.SeedActivities(ctx, actor, info.UnitID, acts); err != nil {
		return info, fmt.Errorf("seed demo ledger: %w", err)
	}
	return info, nil
}

// accounts are the key logins, one per point of view.
func accounts() []Account {
	var out []Account
	for _, p := range people {
		if p.Key {
			out = append(out, Account{Username: p.Username, Name: p.Name, Role: p.roleLabel()})
		}
	}
	return out
}

// hasLedger reports whether the demo unit already has entries (live or in
// the recycle bin): the ledger is the last step of a load.
func hasLedger(ctx context.Context, s *store.Store, sc access.Scope, unitID int64) (bool, error) {
	for _, deleted := range []bool{false, true} {
		n, err := s.CountActivities(ctx, sc, ledger.Filter{UnitID: unitID, Deleted: deleted})
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// ensureTree finds or creates the district, the unit and its departments and
// branches, returning node ids by code.
func ensureTree(ctx context.Context, s *store.Store) (map[string]int64, error) {
	ids := map[string]int64{}
	ensure := func(code, kind, name string, parent int64, sort int) error {
		n, err := s.NodeByCode(ctx, code)
		switch {
		case err == nil:
			if n.Kind != kind {
				return fmt.Errorf("组织代码 %s 已被%s“%s”使用", code, org.KindLabel(n.Kind), n.Name)
			}
		case errors.Is(err, store.ErrNotFound):
			n = org.Node{ParentID: parent, Kind: kind, Name: name, Code: code, Sort: sort}
			if err := s.CreateNode(ctx, loader, &n); err != nil {
				return fmt.Errorf("create %s: %w", name, err)
			}
		default:
			return err
		}
		ids[code] = n.ID
		return nil
	}
	if err := ensure(codeDistrict, org.District, districtName, 0, 0); err != nil {
		return nil, err
	}
	if err := ensure(codeUnit, org.Unit, unitName, ids[codeDistrict], 1); err != nil {
		return nil, err
	}
	for i, n := range subNodes {
		if err := ensure(n.Code, n.Kind, n.Name, ids[codeUnit], i+1); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// ensureUsers finds or creates every demo account, returning ids by username.
func ensureUsers(ctx context.Context, s *store.Store, nodes map[string]int64) (map[string]int64, error) {
	ids := map[string]int64{}
	// Every demo account has the same published password, so one argon2id
	// hash serves them all (hashing 44 times would add seconds to each load).
	var hash string
	for i, p := range people {
		home := nodes[p.Home]
		u, err := s.UserByUsername(ctx, p.Username)
		switch {
		case err == nil:
			if u.OrgID != home {
				return nil, fmt.Errorf("登录名 %s 已被其他单位的 %s 使用，无法加载演示数据", p.Username, u.Name)
			}
		case errors.Is(err, store.ErrNotFound):
			u = org.User{OrgID: home, Username: p.Username, Name: p.Name, Title: p.Title, PartyMember: p.Party, Sort: i + 1}
			for _, r := range p.grants() {
				u.Grants = append(u.Grants, access.Grant{Role: r.Role, OrgID: nodes[r.Code]})
			}
			if hash == "" {
				var err error
				if hash, err = auth.HashPassword(Password); err != nil {
					return nil, err
				}
			}
			if err := s.CreateUserWithHash(ctx, loader, &u, hash); err != nil {
				return nil, fmt.Errorf("create user %s: %w", p.Username, err)
			}
		default:
			return nil, err
		}
		ids[p.Username] = u.ID
	}
	return ids, nil
}

// ensurePlan finds or creates the 2023 study plan, returning ids by key.
func ensurePlan(ctx context.Context, s *store.Store, actor store.Actor, sc access.Scope, unitID int64, users map[string]int64) (map[string]int64, error) {
	existing, err := s.PlanItems(ctx, sc, unitID, planYear)
	if err != nil {
		return nil, fmt.Errorf("read demo plan: %w", err)
	}
	have := map[string]int64{}
	for _, p := range existing {
		have[fmt.Sprint(p.Month, p.Topic)] = p.ID
	}
	ids := map[string]int64{}
	for _, ps := range plan {
		if id, ok := have[fmt.Sprint(ps.Month, ps.Topic)]; ok {
			ids[ps.Key] = id
			continue
		}
		p := ledger.PlanItem{UnitID: unitID, Year: planYear, Month: ps.Month, Topic: ps.Topic, RequiredTopics: ps.Topics,
			Form: ps.Form, SpeakerID: users[ps.Speaker], Note: ps.Note}
		if err := s.SavePlanItem(ctx, actor, &p, p.SetSpeaker); err != nil {
			return nil, fmt.Errorf("plan item %q: %w", ps.Topic, err)
		}
		ids[ps.Key] = p.ID
	}
	return ids, nil
}

// refs resolves the codes and usernames of the tables to database ids. The
// zero refs (all ids 0) builds the same entries for ExpectedH1.
type refs struct {
	unit  int64
	nodes map[string]int64
	users map[string]int64
	plans map[string]int64
}

// build turns the activity tables into ledger entries, checking that every
// username, node and plan key they name exists.
func build(r refs) ([]ledger.Activity, error) {
	planKeys := map[string]bool{}
	for _, p := range plan {
		planKeys[p.Key] = true
	}
	nodeCodes := map[string]bool{codeUnit: true}
	for _, n := range subNodes {
		nodeCodes[n.Code] = true
	}
	// A fixed-seed generator spreads the recording times; the same tables
	// always give the same times.
	rng := rand.New(rand.NewPCG(2023, 630))
	var out []ledger.Activity
	for _, sp := range specs() {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("demo %s %s %q: %s", sp.Type, sp.Date, sp.Title, fmt.Sprintf(format, args...))
		}
		lead, ok := personByUsername(sp.Lead)
		if sp.Lead != "" && !ok {
			return nil, bad("unknown lead %s", sp.Lead)
		}
		if !nodeCodes[sp.Org] {
			return nil, bad("unknown organiser %s", sp.Org)
		}
		if sp.Plan != "" && !planKeys[sp.Plan] {
			return nil, bad("unknown plan item %s", sp.Plan)
		}
		day, err := time.ParseInLocation(cntime.DateLayout, sp.Date, cntime.Zone)
		if err != nil {
			return nil, bad("date: %v", err)
		}
		a := ledger.Activity{
			UnitID: r.unit, OrgID: r.nodes[sp.Org], Type: sp.Type, Title: sp.Title, Date: sp.Date, StartTime: sp.Start,
			DurationMin: sp.Dur, Place: sp.Place, LeadID: r.users[sp.Lead], LeadName: lead.Name,
			AudienceType: sp.Audience, AudienceCount: sp.Count, Agenda: sp.Agenda, Content: sp.Content,
			Tags: sp.Tags, RequiredTopics: sp.Topics, PlanItemID: r.plans[sp.Plan],
		}
		attending := map[string]bool{}
		present := 0
		for _, u := range sp.Attend {
			if _, ok := personByUsername(u); !ok {
				return nil, bad("unknown attendee %s", u)
			}
			if attending[u] {
				return nil, bad("%s listed twice", u)
			}
			attending[u] = true
			at := ledger.Attendance{UserID: r.users[u], Status: "present"}
			if reason, ok := sp.Absent[u]; ok {
				at.Status, at.Reason = "absent", reason
			} else {
				present++
			}
			a.Attendance = append(a.Attendance, at)
		}
		for u := range sp.Absent {
			if !attending[u] {
				return nil, bad("absentee %s is not an attendee", u)
			}
		}
		for _, u := range sp.Speakers {
			if !attending[u] || sp.Absent[u] != "" {
				return nil, bad("speaker %s is not present", u)
			}
			for i := range a.Attendance {
				if sp.Attend[i] == u {
					a.Attendance[i].Speaker = true
				}
			}
		}
		if sp.Audience != "" && a.AudienceCount == 0 {
			a.AudienceCount = present
		}
		// Recorded at about 17:00 on the day or up to three days later,
		// or, for back-filled entries, on the given day.
		rec := day.AddDate(0, 0, []int{0, 0, 0, 1, 1, 1, 2, 2, 3}[rng.IntN(9)]).Add(17*time.Hour + time.Duration(rng.IntN(90))*time.Minute)
		if sp.Recorded != "" {
			d, err := time.ParseInLocation(cntime.DateLayout, sp.Recorded, cntime.Zone)
			if err != nil || d.Sub(day) < 14*24*time.Hour {
				return nil, bad("late recording day %s should be 14 or more days after", sp.Recorded)
			}
			rec = d.Add(16*time.Hour + time.Duration(rng.IntN(120))*time.Minute)
		}
		a.CreatedAt = rec.Unix()
		a.CreatedBy = r.users[uClerk]
		if t, _ := ledger.TypeByCode(sp.Type); t.Personal() {
			a.CreatedBy = r.users[sp.Lead]
		}
		out = append(out, a)
	}
	return out, nil
}

// mustBuild builds the entries without database ids, for the expected figures.
func mustBuild() []ledger.Activity {
	acts, err := build(refs{})
	if err != nil {
		panic(err)
	}
	return acts
}

// ExpectedH1 counts the demo's entries of 2023H1 per activity type code,
// from the same tables Load stores, so tests can check the figures pages show.
func ExpectedH1() map[string]int {
	out := map[string]int{}
	for _, a := range mustBuild() {
		if a.Date >= H1From && a.Date <= H1To {
			out[a.Type]++
		}
	}
	return out
}

// ExpectedLate counts the demo's entries of 2023H1 recorded at least minDays
// days after they happened (the backfill figure).
func ExpectedLate(minDays int) int {
	n := 0
	for _, a := range mustBuild() {
		if a.Date >= H1From && a.Date <= H1To && a.LateDays(cntime.Zone) >= minDays {
			n++
		}
	}
	return n
}
