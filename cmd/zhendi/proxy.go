package main

import (
	"fmt"
	"net/netip"
	"strings"
)

// parseTrustedProxies reads the --trust-proxy list: CIDRs or single
// addresses separated by commas or spaces. "1"/"true"/"yes" (the former
// on/off switch) mean the proxy on this machine: loopback only.
func parseTrustedProxies(s string) ([]netip.Prefix, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no":
		return nil, nil
	case "1", "true", "yes":
		return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}, nil
	}
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("--trust-proxy 中的“%s”不是有效的网段（应如 10.0.0.0/8 或 192.168.1.10）", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("--trust-proxy 中的“%s”不是有效的地址（应如 10.0.0.0/8 或 192.168.1.10）", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
