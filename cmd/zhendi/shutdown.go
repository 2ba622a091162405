package main

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// inflight keeps the requests being handled and the connections open, so
// that a shutdown which reaches its time cap can say what it cut off.
type inflight struct {
	mu    sync.Mutex
	reqs  map[*http.Request]time.Time
	conns map[net.Conn]http.ConnState
}

func newInflight() *inflight {
	return &inflight{reqs: map[*http.Request]time.Time{}, conns: map[net.Conn]http.ConnState{}}
}

// wrap tracks every request from when the handler starts until it returns.
func (f *inflight) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs[r] = time.Now()
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			delete(f.reqs, r)
			f.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// connState is the server's ConnState hook.
func (f *inflight) connState(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st == http.StateClosed || st == http.StateHijacked {
		delete(f.conns, c)
		return
	}
	f.conns[c] = st
}

// describe lists what is still running: each request as “POST /ledger/import
// from 10.1.2.3:51234 (running 31s)”, and connections that are mid-request
// with no handler yet (a client still sending its headers).
func (f *inflight) describe(now time.Time) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	busy := map[string]bool{}
	for r, start := range f.reqs {
		out = append(out, fmt.Sprintf("%s %s from %s (running %s)", r.Method, r.URL.Path, r.RemoteAddr, now.Sub(start).Round(time.Second)))
		busy[r.RemoteAddr] = true
	}
	for c, st := range f.conns {
		if st == http.StateActive && !busy[c.RemoteAddr().String()] {
			out = append(out, "connection from "+c.RemoteAddr().String()+" still sending its request")
		}
	}
	slices.Sort(out)
	return out
}
