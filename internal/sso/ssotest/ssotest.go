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
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Person is who a code stands for. Subject is the WeCom userid or the
// DingTalk unionId; UserID is the DingTalk member's userid ("" for someone
// outside the organisation); Mobile is the verified number.
type Person struct {
	Subject, Mobile, Name, UserID string
}

// Sent is one personal message the fake platform accepted.
type Sent struct {
	Platform string // "wecom" or "dingtalk"
	AgentID  int64
	To       []string
	Content  string
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
	people           map[string]Person // by Subject: the address books
	token            int               // the application token's generation
	tokensIssued     int
	sent             []Sent
	// Outside are the userids WeCom's message/send reports as invaliduser.
	Outside map[string]bool
}

// New starts the fake platform; stop it with Close.
func New(clientID, secret string) *Server {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	s := &Server{ClientID: clientID, Secret: secret, codes: map[string]Person{}, nonces: map[string]string{}, key: key,
		people: map[string]Person{}, token: 1, Outside: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /wecom/cgi-bin/gettoken", s.wecomToken)
	mux.HandleFunc("GET /wecom/cgi-bin/auth/getuserinfo", s.wecomUser)
	mux.HandleFunc("GET /wecom/cgi-bin/user/get", s.wecomMember)
	mux.HandleFunc("POST /wecom/cgi-bin/message/send", s.wecomSend)
	mux.HandleFunc("GET /ding/gettoken", s.dingAppToken)
	mux.HandleFunc("POST /ding/topapi/user/getbyunionid", s.dingByUnion)
	mux.HandleFunc("POST /ding/topapi/message/corpconversation/asyncsend_v2", s.dingSend)
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
	s.people[p.Subject] = p
}

// ExpireToken makes the application token the platform issued invalid, as
// when it expires early or the secret is reset: the next call with it is
// answered with the token errcode.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token++
}

// TokensIssued counts the application tokens handed out (both platforms).
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokensIssued
}

// Sent returns the personal messages accepted so far.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

func (s *Server) appToken() string { return fmt.Sprintf("app-token-%d", s.token) }

// validToken checks an application token; the answer on failure is the
// platform's errcode for an expired (WeCom 42001) or invalid (40014) one.
func (s *Server) validToken(tok string, expiredCode int) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case tok == s.appToken():
		return 0, true
	case strings.HasPrefix(tok, "app-token-"):
		return expiredCode, false
	}
	return 40014, false
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
	s.mu.Lock()
	s.tokensIssued++
	tok := s.appToken()
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200})
}

func (s *Server) wecomUser(w http.ResponseWriter, r *http.Request) {
	if code, ok := s.validToken(r.URL.Query().Get("access_token"), 42001); !ok {
		writeJSON(w, map[string]any{"errcode": code, "errmsg": "access_token invalid"})
		return
	}
	p, _, ok := s.take(r.URL.Query().Get("code"))
	if !ok {
		writeJSON(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "userid": p.Subject})
}

// wecomMember is 读取成员 (cgi-bin/user/get): the member's name and mobile.
func (s *Server) wecomMember(w http.ResponseWriter, r *http.Request) {
	if code, ok := s.validToken(r.URL.Query().Get("access_token"), 42001); !ok {
		writeJSON(w, map[string]any{"errcode": code, "errmsg": "access_token invalid"})
		return
	}
	s.mu.Lock()
	p, ok := s.people[r.URL.Query().Get("userid")]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, map[string]any{"errcode": 60111, "errmsg": "userid not found"})
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "userid": p.Subject, "name": p.Name, "mobile": p.Mobile})
}

// wecomSend is 发送应用消息 (cgi-bin/message/send), text messages only.
func (s *Server) wecomSend(w http.ResponseWriter, r *http.Request) {
	if code, ok := s.validToken(r.URL.Query().Get("access_token"), 42001); !ok {
		writeJSON(w, map[string]any{"errcode": code, "errmsg": "access_token invalid"})
		return
	}
	var in struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		AgentID int64  `json:"agentid"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.AgentID == 0 {
		writeJSON(w, map[string]any{"errcode": 41011, "errmsg": "missing agentid"})
		return
	}
	if in.MsgType != "text" || in.Text.Content == "" || in.ToUser == "" {
		writeJSON(w, map[string]any{"errcode": 44004, "errmsg": "empty content"})
		return
	}
	var to, bad []string
	for _, u := range strings.Split(in.ToUser, "|") {
		if s.Outside[u] {
			bad = append(bad, u)
		} else {
			to = append(to, u)
		}
	}
	s.mu.Lock()
	s.sent = append(s.sent, Sent{Platform: "wecom", AgentID: in.AgentID, To: to, Content: in.Text.Content})
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "invaliduser": strings.Join(bad, "|"), "msgid": "m1"})
}

// dingAppToken is the application's access token (oapi gettoken).
func (s *Server) dingAppToken(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("appkey") != s.ClientID || r.URL.Query().Get("appsecret") != s.Secret {
		writeJSON(w, map[string]any{"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"})
		return
	}
	s.mu.Lock()
	s.tokensIssued++
	tok := s.appToken()
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200})
}

// dingByUnion is 根据unionid获取用户userid (topapi/user/getbyunionid).
func (s *Server) dingByUnion(w http.ResponseWriter, r *http.Request) {
	if code, ok := s.validToken(r.URL.Query().Get("access_token"), 40014); !ok {
		writeJSON(w, map[string]any{"errcode": code, "errmsg": "不合法的access_token"})
		return
	}
	var in struct {
		UnionID string `json:"unionid"`
	}
	json.NewDecoder(r.Body).Decode(&in)
	s.mu.Lock()
	p, ok := s.people[in.UnionID]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, map[string]any{"errcode": 60121, "errmsg": "找不到该用户"})
		return
	}
	if p.UserID == "" { // an outside contact of the organisation
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "result": map[string]any{"contact_type": 1, "userid": ""}})
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "result": map[string]any{"contact_type": 0, "userid": p.UserID}})
}

// dingSend is 发送工作通知 (topapi/message/corpconversation/asyncsend_v2).
func (s *Server) dingSend(w http.ResponseWriter, r *http.Request) {
	if code, ok := s.validToken(r.URL.Query().Get("access_token"), 40014); !ok {
		writeJSON(w, map[string]any{"errcode": code, "errmsg": "不合法的access_token"})
		return
	}
	var in struct {
		AgentID    int64  `json:"agent_id"`
		UserIDList string `json:"userid_list"`
		Msg        struct {
			MsgType string `json:"msgtype"`
			Text    struct {
				Content string `json:"content"`
			} `json:"text"`
		} `json:"msg"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.AgentID == 0 {
		writeJSON(w, map[string]any{"errcode": 40056, "errmsg": "不合法的agentid"})
		return
	}
	if in.Msg.MsgType != "text" || in.Msg.Text.Content == "" || in.UserIDList == "" {
		writeJSON(w, map[string]any{"errcode": 40035, "errmsg": "缺少参数"})
		return
	}
	to := strings.Split(in.UserIDList, ",")
	if len(to) > 100 {
		writeJSON(w, map[string]any{"errcode": 40035, "errmsg": "userid_list too long"})
		return
	}
	s.mu.Lock()
	s.sent = append(s.sent, Sent{Platform: "dingtalk", AgentID: in.AgentID, To: to, Content: in.Msg.Text.Content})
	s.mu.Unlock()
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "task_id": 1, "request_id": "r1"})
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
	writeJSON(w, map[string]any{"unionId": p.Subject, "nick": p.Name, "mobile": p.Mobile, "stateCode": "86"})
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
		"iat": now.Unix(), "nonce": nonce, "name": p.Name, "phone_number": p.Mobile, "phone_number_verified": p.Mobile != ""})
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
