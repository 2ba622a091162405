package main

import (
	"crypto/rand"
	"math/big"
)

// randomPassword makes a 14-character password with letters and digits,
// avoiding characters people misread (0/O, 1/l/I).
func randomPassword() string {
	const letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	const all = letters + digits
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
	b[0], b[1] = pick(letters), pick(digits)
	return string(b)
}
