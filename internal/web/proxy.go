package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// Client addresses and the scheme behind a reverse proxy.
//
// The login rate limit, the lockout records and every audit entry key on
// the client's address, so a forged X-Forwarded-For would let anyone spread
// password guesses over invented addresses or write someone else's address
// into the audit log. The headers are therefore believed only when the
// connection itself comes from a configured proxy (--trust-proxy CIDRs),
// and X-Forwarded-For is read from the right: each trusted proxy appends
// the address it saw, so the first address from the right that is not a
// trusted proxy is the client; whatever the client wrote itself stands to
// the left of it and is ignored.

// trusted reports whether addr is one of the configured proxies.
func (s *Server) trusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// peer is the address of the other end of the TCP connection.
func peer(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		// Not host:port (a test or a unix socket): try a bare address.
		a, err := netip.ParseAddr(strings.Trim(r.RemoteAddr, "[]"))
		return a.Unmap(), err == nil
	}
	return ap.Addr().Unmap(), true
}

// fromTrustedProxy reports whether the request came straight from a
// configured proxy, the only case its forwarding headers mean anything.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	if len(s.cfg.TrustedProxies) == 0 {
		return false
	}
	a, ok := peer(r)
	return ok && s.trusted(a)
}

// clientIP is the peer address, or, when the peer is a trusted proxy, the
// rightmost X-Forwarded-For address that is not itself a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
	a, ok := peer(r)
	if !ok {
		return r.RemoteAddr
	}
	if !s.trusted(a) {
		return a.String()
	}
	// Several X-Forwarded-For lines count as one list in order (RFC 9110).
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := a
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A proxy writes addresses only; anything else was written
			// by the client and nothing to its left can be believed.
			break
		}
		client = h.Unmap()
		if !s.trusted(client) {
			break
		}
	}
	return client.String()
}

// https reports whether the browser reached us over HTTPS: TLS here, or a
// trusted proxy saying so. The proxy's own X-Forwarded-Proto is the last
// value (a proxy that appends rather than replaces puts its own at the end).
func (s *Server) https(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.fromTrustedProxy(r) {
		return false
	}
	vals := r.Header.Values("X-Forwarded-Proto")
	if len(vals) == 0 {
		return false
	}
	parts := strings.Split(vals[len(vals)-1], ",")
	return strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https")
}

// secure reports whether cookies get the Secure flag and links use https:
// forced by --secure-cookies, or the request came over HTTPS.
func (s *Server) secure(r *http.Request) bool {
	return s.cfg.SecureCookies || s.https(r)
}
