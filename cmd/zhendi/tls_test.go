package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeCert makes a self-signed certificate for 127.0.0.1 with the given
// common name (to tell two certificates apart) and writes the pair.
func writeCert(t *testing.T, certFile, keyFile, cn string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// startServe runs serve with args until the test ends and returns the
// address it listens on.
func startServe(t *testing.T, logs *syncBuffer, args ...string) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, log, args) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	urlRE := regexp.MustCompile(`url=https?://(\S+)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRE.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended before listening: %v\n%s", err, logs.String())
		default:
		}
	}
	t.Fatalf("server did not start: %s", logs.String())
	return ""
}

// servedCN handshakes with the server and returns the common name of the
// certificate it presented.
func servedCN(t *testing.T, addr string) string {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("TLS handshake: %v", err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].Subject.CommonName
}

func waitLog(t *testing.T, logs *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(logs.String(), want) {
			return
		}
	}
	t.Fatalf("log never said %q:\n%s", want, logs.String())
}

// TestServeTLSReloadOnSIGHUP: serve speaks TLS with --tls-cert/--tls-key
// (verified against the certificate as a trusted root), sets Secure
// cookies and HSTS, picks up a renewed certificate on SIGHUP without a
// restart, and keeps the working one when the new pair is broken.
func TestServeTLSReloadOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "zhendi.crt"), filepath.Join(dir, "zhendi.key")
	writeCert(t, certFile, keyFile, "zhendi-first")
	var logs syncBuffer
	addr := startServe(t, &logs, "--data", filepath.Join(dir, "data"), "--addr", "127.0.0.1:0",
		"--tls-cert", certFile, "--tls-key", keyFile)

	// A client that trusts only this certificate completes the handshake
	// and gets the login page with Secure cookies and HSTS.
	pemBytes, _ := os.ReadFile(certFile)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pemBytes)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	resp, err := hc.Get("https://" + addr + "/login")
	if err != nil {
		t.Fatalf("HTTPS request: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login over TLS: %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
		t.Errorf("no HSTS under TLS: %q", got)
	}
	if len(resp.Cookies()) == 0 {
		t.Fatal("login page set no cookie")
	}
	for _, ck := range resp.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s not Secure under TLS", ck.Name)
		}
	}
	// Plain HTTP to the TLS port is refused, not served in the clear.
	if resp, err := http.Get("http://" + addr + "/login"); err == nil {
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP served on the TLS port")
		}
		resp.Body.Close()
	}

	if cn := servedCN(t, addr); cn != "zhendi-first" {
		t.Fatalf("served %q, want zhendi-first", cn)
	}
	writeCert(t, certFile, keyFile, "zhendi-renewed")
	if cn := servedCN(t, addr); cn != "zhendi-first" {
		t.Fatalf("certificate changed before SIGHUP: %q", cn)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, &logs, "TLS certificate reloaded")
	if cn := servedCN(t, addr); cn != "zhendi-renewed" {
		t.Fatalf("after SIGHUP served %q, want zhendi-renewed", cn)
	}

	// A half-written renewal (key of another certificate): refused, the
	// renewed certificate stays in service.
	writeCert(t, filepath.Join(dir, "other.crt"), keyFile, "zhendi-other")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, &logs, "new TLS certificate refused")
	if cn := servedCN(t, addr); cn != "zhendi-renewed" {
		t.Fatalf("after a bad pair served %q, want zhendi-renewed", cn)
	}
}

// TestServePlainHTTPNoHSTS: without a certificate the same page carries
// neither HSTS nor Secure cookies (they would lock users out of a plain
// HTTP intranet install), and SIGHUP does not stop the server.
func TestServePlainHTTPNoHSTS(t *testing.T) {
	var logs syncBuffer
	addr := startServe(t, &logs, "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, &logs, "nothing to reload")
	resp, err := http.Get("http://" + addr + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS on plain HTTP: %q", got)
	}
	if len(resp.Cookies()) == 0 {
		t.Fatal("login page set no cookie")
	}
	for _, ck := range resp.Cookies() {
		if ck.Secure {
			t.Errorf("cookie %s Secure on plain HTTP", ck.Name)
		}
	}
}

func TestTLSFlagsNeedBoth(t *testing.T) {
	dir := t.TempDir()
	writeCert(t, filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"), "x")
	err := serve(context.Background(), slog.New(slog.DiscardHandler), []string{"--data", dir, "--tls-cert", filepath.Join(dir, "c.pem")})
	if err == nil || !strings.Contains(err.Error(), "--tls-cert 和 --tls-key 须同时给出") {
		t.Fatalf("got %v", err)
	}
	err = serve(context.Background(), slog.New(slog.DiscardHandler), []string{"--data", dir, "--tls-cert", filepath.Join(dir, "k.pem"), "--tls-key", filepath.Join(dir, "k.pem")})
	if err == nil || !strings.Contains(err.Error(), "读取 TLS 证书") {
		t.Fatalf("a key given as the certificate: got %v", err)
	}
}
