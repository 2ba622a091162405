package service

import (
	"context"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/auth"
	"zhendi/internal/org"
	"zhendi/internal/store"
)

// The system administrator's use cases: the organisation tree, accounts,
// passwords and the security settings. The Admin… methods are the web's:
// they check that the administrator's scope manages the unit concerned
// (org.CanManage, org.CheckCreateUnder). CreateNode, CreateUser,
// SetPassword and Unlock trust their caller (the zhendi command, tests).

// CreateNode validates a node and adds it under n.ParentID (0 for a root).
func (s *Service) CreateNode(ctx context.Context, actor store.Actor, n *org.Node) error {
	if err := org.ValidateNode(n); err != nil {
		return err
	}
	if err := s.st.CreateNode(ctx, actor, n); err != nil {
		return fmt.Errorf("create node %q: %w", n.Name, err)
	}
	return nil
}

// AdminCreateNode adds a department or branch under a unit the scope
// manages, or a unit under a district it manages.
func (s *Service) AdminCreateNode(ctx context.Context, actor store.Actor, sc access.Scope, n *org.Node) error {
	parent, err := s.st.Node(ctx, n.ParentID)
	if errors.Is(err, store.ErrNotFound) {
		return org.ErrParentNotManaged
	} else if err != nil {
		return fmt.Errorf("create node: %w", err)
	}
	if err := org.CheckCreateUnder(sc, parent, n.Kind); err != nil {
		return err
	}
	return s.CreateNode(ctx, actor, n)
}

// AdminRenameNode changes the name and sort order of a node the scope
// manages; apperr.ErrNotFound for any other.
func (s *Service) AdminRenameNode(ctx context.Context, actor store.Actor, sc access.Scope, id int64, name string, sort int) error {
	n, err := s.st.Node(ctx, id)
	if err != nil {
		return fmt.Errorf("rename node %d: %w", id, err)
	}
	if !org.CanManage(sc, n) {
		return apperr.ErrNotFound
	}
	n.Name, n.Sort = name, sort
	if err := org.ValidateNode(&n); err != nil {
		return err
	}
	if err := s.st.RenameNode(ctx, actor, id, n.Name, n.Sort); err != nil {
		return fmt.Errorf("rename node %d: %w", id, err)
	}
	return nil
}

// CreateUser validates a user and the password, hashes it (argon2id) and
// adds the account with its roles; u.ID is set.
func (s *Service) CreateUser(ctx context.Context, actor store.Actor, u *org.User, password string) error {
	if err := org.ValidateUser(u); err != nil {
		return err
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	if err := org.ValidatePassword(password, u.Username, sec.MinPasswordLen); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	if err := s.st.CreateUserWithHash(ctx, actor, u, hash); err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return nil
}

// checkHome refuses a department the scope does not manage (or that does
// not exist) as a user's home.
func (s *Service) checkHome(ctx context.Context, sc access.Scope, orgID int64) error {
	home, err := s.st.Node(ctx, orgID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !org.CanManage(sc, home)) {
		return org.ErrHomeNotManaged
	}
	return err
}

// managedUser loads a user of a unit the scope manages; apperr.ErrNotFound
// for any other.
func (s *Service) managedUser(ctx context.Context, sc access.Scope, id int64) (org.User, error) {
	u, err := s.st.User(ctx, id)
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	if !sc.CanAdmin(u.UnitID) {
		return u, apperr.ErrNotFound
	}
	return u, nil
}

// AdminCreateUser adds an account in a department the scope manages; the
// user must change the password at the first login.
func (s *Service) AdminCreateUser(ctx context.Context, actor store.Actor, sc access.Scope, u *org.User, password string) error {
	if err := s.checkHome(ctx, sc, u.OrgID); err != nil {
		return err
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := org.CheckGrants(actor.UserID, 0, nil, u.Grants, sec.MergeAdmins); err != nil {
		return err
	}
	u.MustChange = true
	return s.CreateUser(ctx, actor, u, password)
}

// AdminUpdateUser changes the profile and roles of a user the scope
// manages (u.ID) under org.CheckGrants: nobody changes their own roles,
// the 审计管理员 and 安全保密管理员 grants are kept as they are, and the three
// administrator roles stay apart unless the installation merges them.
// Disabling a user ends their sessions.
func (s *Service) AdminUpdateUser(ctx context.Context, actor store.Actor, sc access.Scope, u *org.User) error {
	old, err := s.managedUser(ctx, sc, u.ID)
	if err != nil {
		return err
	}
	if err := s.checkHome(ctx, sc, u.OrgID); err != nil {
		return err
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	u.Grants = org.KeepAdminGrants(old.Grants, u.Grants)
	if err := org.CheckGrants(actor.UserID, u.ID, old.Grants, u.Grants, sec.MergeAdmins); err != nil {
		return err
	}
	if err := org.ValidateUser(u); err != nil {
		return err
	}
	if err := s.st.UpdateUser(ctx, actor, u); err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	return nil
}

// SetPassword checks a new password against the policy, hashes it and
// replaces the user's; every session of the user ends. mustChange forces a
// change at the next login (a reset).
func (s *Service) SetPassword(ctx context.Context, actor store.Actor, userID int64, password string, mustChange bool) error {
	u, err := s.st.User(ctx, userID)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	sec, err := s.st.SecuritySettings(ctx)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	if err := org.ValidatePassword(password, u.Username, sec.MinPasswordLen); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	if err := s.st.SetPasswordHash(ctx, actor, userID, hash, mustChange); err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	return nil
}

// AdminResetPassword gives a user the scope manages a new password that
// must be changed at the next login.
func (s *Service) AdminResetPassword(ctx context.Context, actor store.Actor, sc access.Scope, userID int64, password string) error {
	if _, err := s.managedUser(ctx, sc, userID); err != nil {
		return err
	}
	return s.SetPassword(ctx, actor, userID, password, true)
}

// Unlock clears a user's lockout after failed logins.
func (s *Service) Unlock(ctx context.Context, actor store.Actor, userID int64) error {
	if err := s.st.Unlock(ctx, actor, userID); err != nil {
		return fmt.Errorf("unlock user %d: %w", userID, err)
	}
	return nil
}

// AdminUnlock is Unlock for a user the scope manages.
func (s *Service) AdminUnlock(ctx context.Context, actor store.Actor, sc access.Scope, userID int64) error {
	if _, err := s.managedUser(ctx, sc, userID); err != nil {
		return err
	}
	return s.Unlock(ctx, actor, userID)
}

// SetSecuritySettings validates and saves the installation-wide security
// settings; only the installation's 安全保密管理员 (sc.InstallSecurity) may,
// not a unit's: apperr.ErrNotFound for anyone else.
func (s *Service) SetSecuritySettings(ctx context.Context, actor store.Actor, sc access.Scope, sec access.Security) error {
	if !sc.InstallSecurity {
		return apperr.ErrNotFound
	}
	if err := sec.Validate(); err != nil {
		return err
	}
	if err := s.st.SetSecuritySettings(ctx, actor, sec); err != nil {
		return fmt.Errorf("save security settings: %w", err)
	}
	return nil
}
