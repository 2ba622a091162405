package service

import (
	"context"
	"time"
)

// Refused logins per client address, counted in the database
// (store.LoginIPFailures) so that the limit holds across every node behind
// the reverse proxy: an address that spreads its attempts over three nodes
// is stopped after the same number as on one.
const (
	loginAddrMax    = 30
	loginAddrWindow = 5 * time.Minute
)

// LoginAddressAllowed reports whether ip may try to log in now: fewer than
// loginAddrMax refused attempts within loginAddrWindow, on any node.
func (s *Service) LoginAddressAllowed(ctx context.Context, ip string) (bool, error) {
	n, err := s.st.LoginIPFailures(ctx, ip, s.now().Unix(), loginAddrWindow)
	if err != nil {
		return false, err
	}
	return n < loginAddrMax, nil
}

// LoginAddressRefused counts a refused login from ip. Only refused
// attempts count, so a shared office address is not shut out by its own
// users' logins.
func (s *Service) LoginAddressRefused(ctx context.Context, ip string) error {
	return s.st.AddLoginIPFailure(ctx, ip, s.now().Unix())
}
