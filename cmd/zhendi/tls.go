package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// certReloader serves the certificate from --tls-cert/--tls-key and
// replaces it on SIGHUP, so a renewed certificate takes effect without a
// restart (and without logging everyone out). Connections already open
// keep the certificate they were handshaken with; new handshakes read the
// pointer.
type certReloader struct {
	certFile, keyFile string
	cur               atomic.Pointer[tls.Certificate]
}

func newCertReloader(certFile, keyFile string) (*certReloader, error) {
	c := &certReloader{certFile: certFile, keyFile: keyFile}
	if err := c.reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// reload reads and checks the pair; a pair that does not load leaves the
// certificate in use untouched.
func (c *certReloader) reload() error {
	pair, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return fmt.Errorf("读取 TLS 证书 %s 和私钥 %s：%w", c.certFile, c.keyFile, err)
	}
	if pair.Leaf == nil {
		if pair.Leaf, err = x509.ParseCertificate(pair.Certificate[0]); err != nil {
			return fmt.Errorf("解析 TLS 证书 %s：%w", c.certFile, err)
		}
	}
	c.cur.Store(&pair)
	return nil
}

func (c *certReloader) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return c.cur.Load(), nil
}

// describe is the log's view of the certificate in use.
func (c *certReloader) describe() []any {
	leaf := c.cur.Load().Leaf
	return []any{"subject", leaf.Subject.String(), "dns", leaf.DNSNames, "not_after", leaf.NotAfter.Format(time.RFC3339)}
}

func (c *certReloader) tlsConfig() *tls.Config {
	// TLS 1.2 is the floor: older versions are refused by 等保 checks and
	// every browser on the supported systems speaks 1.2.
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.getCertificate}
}

// serveOpts are serve's settings outside the application itself: TLS,
// proxies, log format. They live here so the serve function only calls
// them (several branches edit serve).
type serveOpts struct {
	tlsCert, tlsKey string
	trustProxy      string
	logFormat       string
	baseURL         string
	certs           *certReloader
	log             *slog.Logger
	proxies         []netip.Prefix
}

func (o *serveOpts) register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&o.tlsCert, "tls-cert", env("ZHENDI_TLS_CERT", ""), "TLS 证书文件（PEM，可含中间证书）；与 --tls-key 一起给出时直接以 HTTPS 提供服务，收到 SIGHUP 时重新读取")
	fs.StringVar(&o.tlsKey, "tls-key", env("ZHENDI_TLS_KEY", ""), "TLS 私钥文件（PEM）")
	fs.StringVar(&o.trustProxy, "trust-proxy", env("ZHENDI_TRUST_PROXY", ""), "反向代理的地址或网段，逗号分隔（如 127.0.0.1,10.0.0.0/24）；只信任来自这些地址的 X-Forwarded-For / X-Forwarded-Proto")
	fs.StringVar(&o.baseURL, "base-url", env("ZHENDI_BASE_URL", ""), "提醒邮件和群机器人消息中链接的服务器地址，如 https://zhendi.example.gov.cn")
	fs.StringVar(&o.logFormat, "log-format", env("ZHENDI_LOG_FORMAT", ""), "日志格式：text、json 或 journal（默认：由 systemd 启动且输出到日志时为 journal，否则 text）")
}

// setup checks the options and loads the certificate, before anything is
// opened. The returned logger is the one the server logs with.
func (o *serveOpts) setup(log *slog.Logger) (*slog.Logger, error) {
	if o.logFormat != "" {
		l, err := newLogger(os.Stderr, o.logFormat)
		if err != nil {
			return nil, err
		}
		log = l
	}
	proxies, err := parseTrustedProxies(o.trustProxy)
	if err != nil {
		return nil, err
	}
	o.proxies = proxies
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return nil, errors.New("--tls-cert 和 --tls-key 须同时给出")
	}
	if o.tlsCert != "" {
		c, err := newCertReloader(o.tlsCert, o.tlsKey)
		if err != nil {
			return nil, err
		}
		o.certs = c
		log.Info("TLS certificate loaded", c.describe()...)
	}
	o.log = log
	b := readBuildInfo()
	log.Info("zhendi starting", "version", b.Version, "commit", b.Commit, "go", b.GoVersion)
	return log, nil
}

func (o *serveOpts) scheme() string {
	if o.certs != nil {
		return "https"
	}
	return "http"
}

// serve runs hs on ln, over TLS when a certificate is configured.
// ServeTLS (rather than wrapping the listener) keeps HTTP/2 on.
func (o *serveOpts) serve(hs *http.Server, ln net.Listener) error {
	if hs.ErrorLog == nil && o.log != nil {
		// The server's own complaints (failed handshakes, bad requests)
		// go to the same structured log, at warning level.
		hs.ErrorLog = slog.NewLogLogger(o.log.Handler(), slog.LevelWarn)
	}
	if o.certs == nil {
		return hs.Serve(ln)
	}
	hs.TLSConfig = o.certs.tlsConfig()
	return hs.ServeTLS(ln, "", "")
}

// watchReload handles SIGHUP until ctx ends: reread the certificate, keep
// the old one if the new pair is bad. SIGHUP is taken even without TLS, so
// `systemctl reload` never kills the server (Go's default for SIGHUP is to
// exit).
func (o *serveOpts) watchReload(ctx context.Context, log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				o.reloadNow(log)
			}
		}
	}()
}

func (o *serveOpts) reloadNow(log *slog.Logger) {
	if o.certs == nil {
		log.Info("SIGHUP: no TLS certificate configured, nothing to reload")
		return
	}
	if err := o.certs.reload(); err != nil {
		log.Error("SIGHUP: new TLS certificate refused, still serving the previous one", "err", err)
		return
	}
	log.Info("SIGHUP: TLS certificate reloaded", o.certs.describe()...)
}
