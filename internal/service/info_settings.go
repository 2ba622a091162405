package service

import (
	"context"
	"errors"
	"fmt"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// 信息报送 settings of a unit: review chain, points, quotas, time limits.

// SaveInfoConfig validates and saves a unit's settings. apperr.ErrNotFound
// when the scope may not manage the unit (checked first); otherwise a user
// error from infosub.Config.Validate.
func (s *Service) SaveInfoConfig(ctx context.Context, actor store.Actor, sc access.Scope, unitID int64, c infosub.Config) error {
	if !infosub.CanManage(sc, unitID) {
		return apperr.ErrNotFound
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.st.SetInfoConfig(ctx, actor, sc, unitID, c)
}

// SetInfoQuota sets one department's monthly quota; a negative value
// removes it, so the unit default applies. apperr.ErrNotFound when the
// scope may not manage the unit; a user error when the quota is too high or
// orgID is not a department of the unit.
func (s *Service) SetInfoQuota(ctx context.Context, actor store.Actor, sc access.Scope, unitID, orgID int64, monthly int) error {
	if !infosub.CanManage(sc, unitID) {
		return apperr.ErrNotFound
	}
	if err := infosub.ValidateQuota(monthly); err != nil {
		return err
	}
	n, err := s.st.Node(ctx, orgID)
	found := err == nil
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("quota department %d: %w", orgID, err)
	}
	if err := infosub.CheckQuotaOrg(n, found, unitID); err != nil {
		return err
	}
	return s.st.SetInfoQuota(ctx, actor, sc, unitID, orgID, monthly)
}
