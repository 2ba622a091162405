package storetest

import (
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
// DropAt drops one connection at a chosen point of a request: the k-th
// message the application sends from now on is not forwarded and its
// connection is closed. A test sweeps k over 1, 2, 3 … to lose the database
// at every query of a request in turn — including the lookups that once
// misreported a lost connection as "不存在".
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	conns map[net.Conn]net.Conn // client side -> server side
	down  bool
	// left counts the client messages still to forward before the drop;
	// 0 means not armed.
	left int
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

// DropAt arms the proxy to drop the connection that sends the k-th client
// message from now (k >= 1).
func (p *Proxy) DropAt(k int) {
	p.mu.Lock()
	p.left = k
	p.mu.Unlock()
}

// Armed reports whether the drop DropAt asked for has not happened yet.
func (p *Proxy) Armed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.left > 0
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

// clientToServer forwards the client's messages and drops the connection
// at the armed one. A PostgreSQL client waits for the reply to each
// synchronised batch before the next, so one read is one step of a query.
func (p *Proxy) clientToServer(c, up net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			p.mu.Lock()
			drop := false
			if p.left > 0 {
				p.left--
				drop = p.left == 0
			}
			p.mu.Unlock()
			if drop {
				break
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
