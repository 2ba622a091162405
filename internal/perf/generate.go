package perf

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/auth"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/org"
	"zhendi/internal/store"
)

// Staff layout of every unit, by index in the unit's staff list.
const (
	firstResp   = 0  // 党组书记、局长
	directResp  = 1  // 分管意识形态的党组成员、副局长
	lastLeader  = 5  // 2..5: other 班子成员
	firstHead   = 6  // 6..11: heads of the six departments
	clerkIndex  = 12 // 意识形态专干, in 办公室
	personIndex = 13 // an ordinary member, used for the person filter
	minStaff    = 30

	departments = 6 // node indexes 0..5; 6 and 7 are the two party branches
	branches    = 2
	groups      = 3 // 党小组 per branch
)

var deptNames = []string{"办公室", "政策法规科", "计划财务科", "业务管理科", "综合执法大队", "技术推广中心"}
var branchNames = []string{"机关第一党支部", "机关第二党支部"}

var bureauNames = []string{"农业农村局", "教育局", "科技局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
	"自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "商务局", "文化和旅游局", "卫生健康委员会",
	"退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "行政审批局", "信访局"}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
var givenChars = []rune("建国志强海燕丽萍卫东晓雯文静远军红梅国庆伟明华英敏杰涛磊鹏飞娟霞刚平辉波超勇艳芳玲宇浩然欣怡子轩思雨佳琪俊峰")

// Generate creates a district of opt.Units units, their departments,
// branches and staff, a district supervisor, and opt.Years of ledger per
// unit ending on 31 December of opt.EndYear. Everything is deterministic.
// Organisation nodes and the ledger go through the store API; accounts are
// inserted with SQL sharing one password hash (argon2id takes about 100 ms a
// hash, far too slow for thousands of accounts) — acceptable for benchmark
// data only. progress, when not nil, receives a line per step.
func Generate(ctx context.Context, st *store.Store, opt Options, progress func(string)) (Dataset, error) {
	opt = opt.withDefaults()
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	ds := Dataset{Clerk: clerkUser(0), Supervisor: supervisorUser, Password: Password,
		FirstYear: opt.EndYear - opt.Years + 1, EndYear: opt.EndYear}
	if _, err := st.NodeByCode(ctx, districtCode); err == nil {
		return ds, fmt.Errorf("benchmark district already exists (use a fresh database or reuse it)")
	} else if !errors.Is(err, store.ErrNotFound) {
		return ds, err
	}
	district := org.Node{Kind: org.District, Name: "示范区", Code: districtCode}
	if err := st.CreateNode(ctx, store.System, &district); err != nil {
		return ds, fmt.Errorf("create district: %w", err)
	}
	ds.DistrictID = district.ID
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return ds, err
	}
	start := time.Now()
	for i := 0; i < opt.Units; i++ {
		u, err := addUnit(ctx, st, district.ID, i, opt, hash)
		if err != nil {
			return ds, err
		}
		ds.UnitIDs = append(ds.UnitIDs, u.unitID)
		if i == 0 {
			ds.PersonID = u.staff[personIndex]
		}
		if (i+1)%10 == 0 || i+1 == opt.Units {
			say("%d/%d units: organisation, %d staff each and %d years of ledger (%s)", i+1, opt.Units, opt.Staff, opt.Years, since(start))
		}
	}

	// The supervisor is created last: Find takes its presence as "complete".
	sup := org.User{OrgID: district.ID, Username: supervisorUser, Name: "区委宣传部督查员", Title: "督查科科长",
		Grants: []access.Grant{{Role: access.Supervisor, OrgID: district.ID}}}
	if err := st.CreateUserWithHash(ctx, store.System, &sup, hash); err != nil {
		return ds, fmt.Errorf("create supervisor: %w", err)
	}
	if err := ds.count(ctx, st); err != nil {
		return ds, err
	}
	return ds, nil
}

func since(t time.Time) string { return time.Since(t).Round(10 * time.Millisecond).String() }

// addUnit creates unit i of the district: its departments and branches, its
// opt.Staff accounts (all with the password hash given) and opt.Years of
// ledger ending with opt.EndYear, each step through its own transaction, as
// a district adds a unit at a time. Deterministic: unit i is the same
// whatever came before it.
func addUnit(ctx context.Context, st *store.Store, districtID int64, i int, opt Options, hash string) (unitRefs, error) {
	u, err := createUnitNodes(ctx, st, districtID, i)
	if err != nil {
		return u, err
	}
	if err := insertUsers(ctx, st, &u, opt.Staff, hash); err != nil {
		return u, err
	}
	first := opt.EndYear - opt.Years + 1
	validUntil := time.Date(opt.EndYear+1, 12, 31, 0, 0, 0, 0, cntime.Zone)
	rng := rand.New(rand.NewPCG(uint64(i+1), 20251231))
	var acts []ledger.Activity
	for y := first; y <= opt.EndYear; y++ {
		acts = append(acts, u.year(rng, y, opt.PerYear)...)
	}
	for j := range acts {
		if err := acts[j].Validate(validUntil); err != nil {
			return u, fmt.Errorf("generated entry %s %q: %w", acts[j].Date, acts[j].Title, err)
		}
	}
	clerk := store.Actor{UserID: u.staff[clerkIndex], Name: u.names[clerkIndex]}
	if err := st.SeedActivities(ctx, clerk, u.unitID, acts); err != nil {
		return u, fmt.Errorf("seed ledger of unit %d: %w", i+1, err)
	}
	return u, nil
}

// unitRefs holds the ids of one generated unit.
type unitRefs struct {
	index  int
	unitID int64
	nodes  []int64 // departments, then branches
	staff  []int64 // by staff index
	names  []string
	orgOf  []int64 // home node of each staff member
}

func createUnitNodes(ctx context.Context, st *store.Store, districtID int64, i int) (unitRefs, error) {
	name := bureauNames[i%len(bureauNames)]
	if i >= len(bureauNames) {
		name = fmt.Sprintf("%s(%d)", name, i/len(bureauNames)+1)
	}
	u := org.Node{ParentID: districtID, Kind: org.Unit, Name: "示范区" + name, Code: unitCode(i), Sort: i + 1}
	if err := st.CreateNode(ctx, store.System, &u); err != nil {
		return unitRefs{}, fmt.Errorf("create unit %d: %w", i+1, err)
	}
	refs := unitRefs{index: i, unitID: u.ID}
	for d := 0; d < departments+branches; d++ {
		n := org.Node{ParentID: u.ID, Kind: org.Department, Code: deptCode(i, d), Sort: d + 1}
		if d < departments {
			n.Name = deptNames[d]
		} else {
			n.Kind, n.Name = org.Branch, branchNames[d-departments]
		}
		if err := st.CreateNode(ctx, store.System, &n); err != nil {
			return unitRefs{}, fmt.Errorf("create node %s: %w", n.Name, err)
		}
		refs.nodes = append(refs.nodes, n.ID)
	}
	return refs, nil
}

// staffRole returns the title, home node index (-1 for the unit itself)
// and role of staff member n.
func staffRole(n int) (title string, node int, role access.Role) {
	switch {
	case n == firstResp:
		return "党组书记、局长", -1, access.FirstResp
	case n == directResp:
		return "党组成员、副局长", -1, access.DirectResp
	case n <= lastLeader:
		return "党组成员、副局长", -1, access.LeaderMember
	case n < firstHead+departments:
		return "科长", n - firstHead, access.DeptHead
	case n == clerkIndex:
		return "意识形态专干", 0, access.Clerk
	}
	return "科员", n % departments, access.Member
}

// insertUsers adds one unit's staff and their roles in one transaction, all
// with the same password hash (argon2id takes about 100 ms a hash). Only
// for benchmark data: real accounts are created through service.CreateUser.
func insertUsers(ctx context.Context, st *store.Store, u *unitRefs, staff int, hash string) error {
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	insUser, err := tx.PrepareContext(ctx, `INSERT INTO users (org_id, unit_id, username, name, title, party_member, password_hash, sort, created_at, password_changed_at)
		VALUES ($1,$2,$3,$4,$5,1,$6,$7,$8,$8) RETURNING id`)
	if err != nil {
		return fmt.Errorf("prepare user insert: %w", err)
	}
	defer insUser.Close()
	insRole, err := tx.PrepareContext(ctx, `INSERT INTO user_roles (user_id, org_id, role) VALUES ($1,$2,$3)`)
	if err != nil {
		return fmt.Errorf("prepare role insert: %w", err)
	}
	defer insRole.Close()
	now := st.Now().Unix()
	i := u.index
	rng := rand.New(rand.NewPCG(uint64(i+1), 7))
	for n := 0; n < staff; n++ {
		title, node, role := staffRole(n)
		home, roleOrg := u.unitID, u.unitID
		if node >= 0 {
			home = u.nodes[node]
		}
		if role == access.DeptHead {
			roleOrg = home
		}
		name := string(surnames[rng.IntN(len(surnames))]) + string(givenChars[rng.IntN(len(givenChars))])
		if rng.IntN(3) > 0 {
			name += string(givenChars[rng.IntN(len(givenChars))])
		}
		var id int64
		if err := insUser.QueryRowContext(ctx, home, u.unitID, staffUser(i, n), name, title, hash, n+1, now).Scan(&id); err != nil {
			return fmt.Errorf("insert user %s: %w", staffUser(i, n), err)
		}
		if _, err := insRole.ExecContext(ctx, id, roleOrg, string(role)); err != nil {
			return fmt.Errorf("insert role of %s: %w", staffUser(i, n), err)
		}
		u.staff = append(u.staff, id)
		u.names = append(u.names, name)
		u.orgOf = append(u.orgOf, home)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit users: %w", err)
	}
	return st.Audit(ctx, store.System, u.unitID, "perf.users", "org", u.unitID, map[string]int{"created": staff})
}
