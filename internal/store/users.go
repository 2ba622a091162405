package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"zhendi/internal/audit"

	"zhendi/internal/access"
	"zhendi/internal/org"
)

const userCols = `u.id, u.org_id, o.name, COALESCE(u.unit_id,0), u.username, u.name, u.title, u.party_member, u.must_change_pw, u.disabled, u.locked_until, u.sort, u.must_change_reason, u.password_changed_at, u.mobile`

func (s *Store) scanUser(r interface{ Scan(...any) error }) (org.User, error) {
	var u org.User
	var party, must, disabled int
	var lockedUntil int64
	err := r.Scan(&u.ID, &u.OrgID, &u.OrgName, &u.UnitID, &u.Username, &u.Name, &u.Title, &party, &must, &disabled, &lockedUntil, &u.Sort, &u.MustChangeWhy, &u.PasswordChangedAt, &u.Mobile)
	u.PartyMember, u.MustChange, u.Disabled = party == 1, must == 1, disabled == 1
	u.Locked = lockedUntil > s.Now().Unix()
	return u, err
}

// userView is what the audit log keeps of a user (never the password hash).
type userView struct {
	Username, Name, Title string
	Mobile                string `json:",omitempty"`
	OrgID                 int64
	PartyMember, Disabled bool
	Roles                 []string
}

func viewOf(u org.User) userView {
	v := userView{Username: u.Username, Name: u.Name, Title: u.Title, Mobile: u.Mobile, OrgID: u.OrgID, PartyMember: u.PartyMember, Disabled: u.Disabled}
	for _, g := range u.Grants {
		v.Roles = append(v.Roles, fmt.Sprintf("%s@%d", g.Role, g.OrgID))
	}
	return v
}

// homeUnit reads the unit of a user's department inside tx:
// org.ErrNoHomeOrg when the department does not exist.
func homeUnit(ctx context.Context, tx *sql.Tx, orgID int64) (int64, error) {
	var unitID int64
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0) FROM orgs WHERE id = $1 AND deleted_at IS NULL", orgID).Scan(&unitID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, org.ErrNoHomeOrg
	} else if err != nil {
		return 0, fmt.Errorf("read department %d: %w", orgID, err)
	}
	return unitID, nil
}

// CreateUserWithHash adds a validated user (org.ValidateUser) whose
// password hash is already made, with their roles; u.ID and u.UnitID are
// set. A login name in use is org.ErrUsernameTaken, a department that does
// not exist org.ErrNoHomeOrg. The hash is made by the caller (the service,
// or the demo loader, which hashes its one published password once).
func (s *Store) CreateUserWithHash(ctx context.Context, actor Actor, u *org.User, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE username = $1", u.Username).Scan(&n); err != nil {
			return fmt.Errorf("check username: %w", err)
		}
		if n > 0 {
			return org.ErrUsernameTaken
		}
		unitID, err := homeUnit(ctx, tx, u.OrgID)
		if err != nil {
			return err
		}
		u.UnitID = unitID
		now := s.Now().Unix()
		why := ""
		if u.MustChange {
			why = org.MustCreated
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO users (org_id, unit_id, username, name, title, party_member, password_hash, must_change_pw, sort, created_at, password_changed_at, must_change_reason, mobile)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10,$11,$12) RETURNING id`,
			u.OrgID, nullID(unitID), u.Username, u.Name, u.Title, b2i(u.PartyMember), hash, b2i(u.MustChange), u.Sort, now, why, u.Mobile).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		if err := s.writeGrants(ctx, tx, u.ID, u.Grants); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, unitID, "user.create", "user", u.ID, nil, viewOf(*u))
	})
}

func (s *Store) writeGrants(ctx context.Context, tx *sql.Tx, userID int64, grants []access.Grant) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM user_roles WHERE user_id = $1", userID); err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	for _, g := range grants {
		_, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, org_id, role) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, userID, g.OrgID, string(g.Role))
		if err != nil {
			return fmt.Errorf("add role: %w", err)
		}
	}
	return nil
}

// UpdateUser changes a validated user's profile and roles; errors as for
// CreateUserWithHash. Disabling a user ends their sessions.
func (s *Store) UpdateUser(ctx context.Context, actor Actor, u *org.User) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.userTx(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		unitID, err := homeUnit(ctx, tx, u.OrgID)
		if err != nil {
			return err
		}
		u.UnitID = unitID
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE username = $1 AND id <> $2", u.Username, u.ID).Scan(&n); err != nil {
			return fmt.Errorf("check username: %w", err)
		}
		if n > 0 {
			return org.ErrUsernameTaken
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET org_id=$1, unit_id=$2, username=$3, name=$4, title=$5, party_member=$6, disabled=$7, sort=$8, mobile=$9 WHERE id=$10`,
			u.OrgID, nullID(unitID), u.Username, u.Name, u.Title, b2i(u.PartyMember), b2i(u.Disabled), u.Sort, u.Mobile, u.ID)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if err := s.writeGrants(ctx, tx, u.ID, u.Grants); err != nil {
			return err
		}
		if u.Disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "user.update", "user", u.ID, viewOf(before), viewOf(*u))
	})
}

func (s *Store) userTx(ctx context.Context, tx *sql.Tx, id int64) (org.User, error) {
	u, err := s.scanUser(tx.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	} else if err != nil {
		return u, fmt.Errorf("read user %d: %w", id, err)
	}
	u.Grants, err = grantsOf(ctx, tx, id)
	return u, err
}

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func grantsOf(ctx context.Context, q queryer, userID int64) ([]access.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.role, r.org_id, COALESCE(o.unit_id,0), o.kind, o.parent_id IS NULL FROM user_roles r
		JOIN orgs o ON o.id = r.org_id WHERE r.user_id = $1 AND o.deleted_at IS NULL ORDER BY r.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	defer rows.Close()
	var out []access.Grant
	for rows.Next() {
		var g access.Grant
		var role string
		if err := rows.Scan(&role, &g.OrgID, &g.UnitID, &g.Kind, &g.Root); err != nil {
			return nil, err
		}
		g.Role = access.Role(role)
		out = append(out, g)
	}
	return out, rows.Err()
}

// User returns a user with their roles.
func (s *Store) User(ctx context.Context, id int64) (org.User, error) {
	u, err := s.scanUser(s.db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	} else if err != nil {
		return u, fmt.Errorf("read user %d: %w", id, err)
	}
	u.Grants, err = grantsOf(ctx, s.db, id)
	return u, err
}

// UserByUsername returns a user by login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (org.User, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT id FROM users WHERE username = $1", strings.TrimSpace(username)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return org.User{}, ErrNotFound
	} else if err != nil {
		return org.User{}, fmt.Errorf("find user: %w", err)
	}
	return s.User(ctx, id)
}

// Users lists users of the given units ordered by department and sort.
func (s *Store) Users(ctx context.Context, unitIDs []int64, withGrants bool) ([]org.User, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	var a args
	rows, err := s.db.QueryContext(ctx, "SELECT "+userCols+" FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.unit_id IN ("+a.in(unitIDs)+
		") ORDER BY u.unit_id, o.sort, o.id, u.sort, u.id", a...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var out []org.User
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if withGrants {
		all, err := s.grantsOfUnits(ctx, unitIDs)
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Grants = all[out[i].ID]
		}
	}
	return out, nil
}

func (s *Store) grantsOfUnits(ctx context.Context, unitIDs []int64) (map[int64][]access.Grant, error) {
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT r.user_id, r.role, r.org_id, COALESCE(o.unit_id,0), o.kind, o.parent_id IS NULL FROM user_roles r
		JOIN orgs o ON o.id = r.org_id JOIN users u ON u.id = r.user_id WHERE u.unit_id IN (`+a.in(unitIDs)+`) ORDER BY r.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	defer rows.Close()
	out := map[int64][]access.Grant{}
	for rows.Next() {
		var uid int64
		var g access.Grant
		var role string
		if err := rows.Scan(&uid, &role, &g.OrgID, &g.UnitID, &g.Kind, &g.Root); err != nil {
			return nil, err
		}
		g.Role = access.Role(role)
		out[uid] = append(out[uid], g)
	}
	return out, rows.Err()
}

// LeaderIDs lists the users holding a leadership role in a unit.
func (s *Store) LeaderIDs(ctx context.Context, unitID int64) ([]int64, error) {
	ids, err := queryIDs(ctx, s.db, `SELECT DISTINCT r.user_id FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE u.unit_id = $1 AND r.role IN ('first_resp','direct_resp','leader') ORDER BY r.user_id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("leaders of unit %d: %w", unitID, err)
	}
	return ids, nil
}

// CountUsers counts all accounts (a fresh install has none).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// userUnit reads the unit of a user inside tx; ErrNotFound when there is
// no such user.
func userUnit(ctx context.Context, tx *sql.Tx, userID int64) (int64, error) {
	var unitID int64
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0) FROM users WHERE id = $1", userID).Scan(&unitID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	} else if err != nil {
		return 0, fmt.Errorf("read user %d: %w", userID, err)
	}
	return unitID, nil
}

// SetPasswordHash replaces a user's password hash (made and checked by the
// caller). mustChange forces a change at the next login (after an
// administrator's reset). The lockout is cleared and all sessions of the
// user end.
func (s *Store) SetPasswordHash(ctx context.Context, actor Actor, userID int64, hash string, mustChange bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		unitID, err := userUnit(ctx, tx, userID)
		if err != nil {
			return err
		}
		why := ""
		if mustChange {
			why = org.MustReset
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET password_hash=$1, must_change_pw=$2, failed_logins=0, locked_until=0, password_changed_at=$3, must_change_reason=$4 WHERE id=$5`,
			hash, b2i(mustChange), s.Now().Unix(), why, userID)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		action := "user.password_change"
		if mustChange {
			action = "user.password_reset"
		}
		return s.appendAudit(ctx, tx, actor, unitID, action, "user", userID, nil, nil)
	})
}

// LoginState is what a login attempt needs to know about an account.
type LoginState struct {
	UserID      int64
	UnitID      int64
	Name        string
	Hash        string
	Failed      int
	LockedUntil int64
	Disabled    bool
}

// LoginStateOf reads an account by login name.
func (s *Store) LoginStateOf(ctx context.Context, username string) (LoginState, error) {
	var st LoginState
	var disabled int
	err := s.db.QueryRowContext(ctx, `SELECT id, COALESCE(unit_id,0), name, password_hash, failed_logins, locked_until, disabled FROM users WHERE username = $1`,
		strings.TrimSpace(username)).Scan(&st.UserID, &st.UnitID, &st.Name, &st.Hash, &st.Failed, &st.LockedUntil, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	} else if err != nil {
		return st, fmt.Errorf("read account: %w", err)
	}
	st.Disabled = disabled == 1
	return st, nil
}

// RecordLoginFailure counts a wrong password on the account st (UserID 0:
// an unknown name, counted by its hash in login_failures) and logs the
// attempt under the name that was typed. after is the lockout rule
// (access.Security.AfterFailure): it gets the count stored now, read in the
// transaction under the row's lock, so that failures arriving on several
// nodes at once are each counted. It returns the lock time after gave.
func (s *Store) RecordLoginFailure(ctx context.Context, actor Actor, st LoginState, username string, after func(failed int) (int, int64)) (int64, error) {
	var lockedUntil int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var failed int
		if st.UserID != 0 {
			if err := tx.QueryRowContext(ctx, "SELECT failed_logins FROM users WHERE id=$1"+s.forUpdate(), st.UserID).Scan(&failed); err != nil {
				return fmt.Errorf("count failed login: %w", err)
			}
			failed, lockedUntil = after(failed)
			if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins=$1, locked_until=$2 WHERE id=$3", failed, lockedUntil, st.UserID); err != nil {
				return fmt.Errorf("count failed login: %w", err)
			}
		} else {
			key := nameKey(username)
			err := tx.QueryRowContext(ctx, "SELECT failed FROM login_failures WHERE name_key=$1"+s.forUpdate(), key).Scan(&failed)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("count failed login: %w", err)
			}
			failed, lockedUntil = after(failed)
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (name_key, failed, locked_until, last_at) VALUES ($1,$2,$3,$4)
				ON CONFLICT (name_key) DO UPDATE SET failed = excluded.failed, locked_until = excluded.locked_until, last_at = excluded.last_at`,
				key, failed, lockedUntil, s.Now().Unix()); err != nil {
				return fmt.Errorf("count login failure: %w", err)
			}
		}
		detail := map[string]any{"username": username}
		if st.UserID == 0 {
			// A name that matches no account may be a password typed into
			// the name field: only its first character and length are kept,
			// and the entry belongs to no unit (installation auditors only).
			actor.Name = audit.MaskName(username)
			detail["username"] = actor.Name
		}
		if lockedUntil != 0 {
			detail["locked"] = true
		}
		return s.appendAudit(ctx, tx, actor, st.UnitID, "auth.login_failed", "user", st.UserID, nil, detail)
	})
	return lockedUntil, err
}

// Unlock clears a lockout (administrator action).
func (s *Store) Unlock(ctx context.Context, actor Actor, userID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		unitID, err := userUnit(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins=0, locked_until=0 WHERE id=$1", userID); err != nil {
			return fmt.Errorf("unlock: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, unitID, "user.unlock", "user", userID, nil, nil)
	})
}
