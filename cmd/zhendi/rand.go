package main

import (
	"crypto/rand"
	"math/big"
)

// randomPassword makes a 14-character password with letters and digits,
// avoiding characters people misread (0/O, 1/l/I).
func randomPassword() string {
	const lower = "abcdefghijkmnpqrstuvwxyz"
	const upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	const all = lower + upper + digits
	b := make([]byte, 14)
	pick := func(set string) byte {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		return set[n.Int64()]
	}
	for i := range b {
		b[i] = pick(all)
	}
	// Three character classes, as the password policy asks (org.ValidatePassword).
	b[0], b[1], b[2] = pick(lower), pick(upper), pick(digits)
	return string(b)
}
