package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// TestShortErrChinese: the network failures a clerk sees on a channel page
// (and in the rectification ledger) are named in Chinese, without Go's
// English text or the server's resolver address.
func TestShortErrChinese(t *testing.T) {
	dns := &url.Error{Op: "Get", URL: "http://nyncj.sfq.gov.cn/jzxx/", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "nyncj.sfq.gov.cn", Server: "10.255.255.53:53", IsNotFound: true}}}
	refused := &url.Error{Op: "Get", URL: "http://127.0.0.1:9/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	cases := []struct {
		err  error
		want string
	}{
		{dns, "域名无法解析（nyncj.sfq.gov.cn）"},
		{fmt.Errorf("read x: %w", dns), "域名无法解析（nyncj.sfq.gov.cn）"},
		{refused, "连接被拒绝"},
		{context.DeadlineExceeded, "超时"},
		{errors.New("网址无效：ftp://x"), "网址无效：ftp://x"},
	}
	for _, c := range cases {
		if got := shortErr(c.err); got != c.want {
			t.Errorf("shortErr(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	long := errors.New(strings.Repeat("页", 200))
	if got := shortErr(long); !utf8.ValidString(got) || utf8.RuneCountInString(got) != 120 {
		t.Errorf("long error cut to %d characters (valid UTF-8: %v)", utf8.RuneCountInString(got), utf8.ValidString(got))
	}
}

// TestShortErrRealFailures runs the real client against a closed port and
// a server with a self-signed certificate.
func TestShortErrRealFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = http.Get("http://" + addr + "/")
	if got := shortErr(err); got != "连接被拒绝" {
		t.Errorf("closed port: %q (%v)", got, err)
	}
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	_, err = http.Get(srv.URL)
	if got := shortErr(err); got != "HTTPS 证书无效" {
		t.Errorf("self-signed: %q (%v)", got, err)
	}
}
