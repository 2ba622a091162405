// Package ssotest is a local stand-in for the sign-on platforms, for
// tests: one HTTP server that implements the documented endpoints of
// 企业微信 (under /wecom), 钉钉 (under /ding) and an OpenID Connect
// provider (under /oidc, with discovery, JWKS and RS256 ID tokens). The
// real platforms cannot be reached from closed networks or from CI.
package ssotest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Person is who a code stands for.
type Person struct {
	Subject, Mobile, Name string
}

// Server is the fake platform. Codes maps an authorisation code to the
// person it signs on; a code is single-use, as on the real platforms.
type Server struct {
	*httptest.Server
	ClientID, Secret string
	mu               sync.Mutex
	codes            map[string]Person
	nonces           map[string]string // oidc code → nonce
	key              *rsa.PrivateKey
}

// New starts the fake platform; stop it with Close.
func New(clientID, secret string) *Server {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	s := &Server{ClientID: clientID, Secret: secret, codes: map[string]Person{}, nonces: map[string]string{}, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /wecom/cgi-bin/gettoken", s.wecomToken)
	mux.HandleFunc("GET /wecom/cgi-bin/auth/getuserinfo", s.wecomUser)
	mux.HandleFunc("POST /ding/v1.0/oauth2/userAccessToken", s.dingToken)
	mux.HandleFunc("GET /ding/v1.0/contact/users/me", s.dingMe)
	mux.HandleFunc("GET /oidc/.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET /oidc/jwks", s.jwks)
	mux.HandleFunc("POST /oidc/token", s.oidcToken)
	s.Server = httptest.NewServer(mux)
	return s
}

// Issue makes a single-use code for p (for OIDC, nonce is the state the
// client sent to the authorisation endpoint).
func (s *Server) Issue(code string, p Person, nonce string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = p
	s.nonces[code] = nonce
}

func (s *Server) take(code string) (Person, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.codes[code]
	delete(s.codes, code)
	return p, s.nonces[code], ok
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (s *Server) wecomToken(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("corpid") != s.ClientID || r.URL.Query().Get("corpsecret") != s.Secret {
		writeJSON(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "access_token": "wecom-token", "expires_in": 7200})
}

func (s *Server) wecomUser(w http.ResponseWriter, r *http.Request) {
	p, _, ok := s.take(r.URL.Query().Get("code"))
	if r.URL.Query().Get("access_token") != "wecom-token" || !ok {
		writeJSON(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "userid": p.Subject})
}

func (s *Server) dingToken(w http.ResponseWriter, r *http.Request) {
	var in struct{ ClientID, ClientSecret, Code, GrantType string }
	json.NewDecoder(r.Body).Decode(&in)
	p, _, ok := s.take(in.Code)
	if in.ClientID != s.ClientID || in.ClientSecret != s.Secret || !ok {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]any{"code": "invalidCode", "message": "code invalid"})
		return
	}
	s.mu.Lock()
	s.codes["ding-access:"+p.Subject] = p
	s.mu.Unlock()
	writeJSON(w, map[string]any{"accessToken": "ding-access:" + p.Subject, "expireIn": 7200})
}

func (s *Server) dingMe(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.codes[r.Header.Get("x-acs-dingtalk-access-token")]
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"code": "InvalidAuthentication"})
		return
	}
	writeJSON(w, map[string]any{"unionId": p.Subject, "nick": p.Name, "mobile": p.Mobile})
}

// Issuer is the OIDC issuer URL.
func (s *Server) Issuer() string { return s.URL + "/oidc" }

func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	iss := s.Issuer()
	writeJSON(w, map[string]any{"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/token",
		"jwks_uri": iss + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"}})
}

func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &s.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

func (s *Server) oidcToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p, nonce, ok := s.take(r.PostForm.Get("code"))
	if id != s.ClientID || secret != s.Secret || !ok {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]any{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims, _ := json.Marshal(map[string]any{"iss": s.Issuer(), "sub": p.Subject, "aud": s.ClientID, "exp": now.Add(5 * time.Minute).Unix(),
		"iat": now.Unix(), "nonce": nonce, "name": p.Name, "phone_number": p.Mobile})
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: s.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	obj, err := signer.Sign(claims)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	tok, _ := obj.CompactSerialize()
	writeJSON(w, map[string]any{"access_token": "oidc-access", "token_type": "Bearer", "expires_in": 300, "id_token": tok})
}
