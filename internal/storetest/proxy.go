package storetest

import (
	"bytes"
	"net"
	"sync"
	"testing"
)

// Proxy forwards TCP connections to a database server so that a test can
// take the network away from under a running store — the way a dropped link
// or a restarted PostgreSQL looks to zhendi — without touching the server
// that other tests share.
//
// Cut drops every connection and refuses new ones: the database is gone.
// DropInTransaction drops one connection in the middle of a request: the
// next connection that opens a transaction loses its link at the first
// statement inside it, after the request's reads have succeeded — exactly
// where a lookup used to misreport a lost connection as "不存在".
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	conns map[net.Conn]net.Conn // client side -> server side
	down  bool
	armed bool
}

// NewProxy listens on a loopback port and forwards to target ("host:port").
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]net.Conn{}}
	go p.serve()
	t.Cleanup(p.Cut)
	return p
}

// Addr is the proxy's "host:port".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// DropInTransaction arms the proxy: the next statement sent after a BEGIN,
// on any connection, is not forwarded and that connection is closed.
func (p *Proxy) DropInTransaction() {
	p.mu.Lock()
	p.armed = true
	p.mu.Unlock()
}

// Armed reports whether DropInTransaction has not fired yet.
func (p *Proxy) Armed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.armed
}

// Cut drops every connection and stops accepting.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return
	}
	p.down = true
	p.ln.Close()
	for c, up := range p.conns {
		c.Close()
		up.Close()
	}
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		p.conns[c] = up
		p.mu.Unlock()
		go p.clientToServer(c, up)
		go func() {
			buf := make([]byte, 32<<10)
			for {
				n, err := up.Read(buf)
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
			p.drop(c)
		}()
	}
}

// clientToServer forwards the client's messages, watching for a BEGIN when
// armed. PostgreSQL clients wait for BEGIN's reply before the next
// statement, so that statement arrives in a read of its own.
func (p *Proxy) clientToServer(c, up net.Conn) {
	buf := make([]byte, 32<<10)
	inTx := false
	for {
		n, err := c.Read(buf)
		if n > 0 {
			p.mu.Lock()
			armed := p.armed
			if armed && inTx {
				p.armed = false
				p.mu.Unlock()
				p.drop(c)
				return
			}
			p.mu.Unlock()
			if armed && bytes.Contains(bytes.ToLower(buf[:n]), []byte("begin")) {
				inTx = true
			}
			if _, werr := up.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	p.drop(c)
}

func (p *Proxy) drop(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if up, ok := p.conns[c]; ok {
		c.Close()
		up.Close()
		delete(p.conns, c)
	}
}
