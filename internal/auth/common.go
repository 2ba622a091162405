package auth

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswords is the common-password list of zxcvbn-ts: the file
// src/passwords.json of the npm package @zxcvbn-ts/language-common 4.1.3
// (49,233 passwords ordered by frequency, drawn from leaked-password
// corpora; MIT licence, © Dan Wheeler, Dropbox, Inc. and zxcvbn-ts, see
// commonpw/LICENSE.txt; sha256 of the JSON f422773d…33e3f1). Only the
// 17,950 entries of 8 or more characters are kept, one a line, since the
// password policy refuses anything shorter anyway (org.MinPasswordLen).
//
//go:embed commonpw/passwords.txt
var commonPasswords string

var (
	commonOnce sync.Once
	commonSet  map[string]struct{}
)

// IsCommon reports whether pw, compared without regard to letter case, is
// on the shipped common-password list: "Password1" and "P@ssw0rd" are,
// since attackers try such variants first.
func IsCommon(pw string) bool {
	commonOnce.Do(func() {
		lines := strings.Split(strings.TrimSpace(commonPasswords), "\n")
		commonSet = make(map[string]struct{}, len(lines))
		for _, l := range lines {
			commonSet[l] = struct{}{}
		}
	})
	_, ok := commonSet[strings.ToLower(pw)]
	return ok
}
