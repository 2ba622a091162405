package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"zhendi/internal/apperr"
	"zhendi/internal/store"
)

// The push API: a partner system posts a JSON batch of items with its
// source's token (Authorization: Bearer …). It is the one POST without a
// session or CSRF token: the token authenticates it, it is not sent by
// browsers with cookies, and it can only add items to its own source.
// Items are idempotent by the source's id for them ("id"), so a retried
// batch stores nothing twice. Documented with curl examples in README.

const (
	// pushMaxBytes bounds a request body.
	pushMaxBytes = 8 << 20
	// pushMaxItems bounds a batch.
	pushMaxItems = 1000
)

// pushAnswer is the JSON answer.
type pushAnswer struct {
	Received   int      `json:"received"`
	Stored     int      `json:"stored"`
	Duplicates int      `json:"duplicates"` // folded into stored items (exact or near copies)
	Already    int      `json:"already"`    // delivered before (same id): not stored again
	Queued     bool     `json:"queued,omitempty"`
	Error      string   `json:"error,omitempty"`
	Errors     []string `json:"errors,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) opinionPush(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="zhendi"`)
		writeJSON(w, http.StatusUnauthorized, pushAnswer{Error: "缺少访问令牌（Authorization: Bearer 令牌）"})
		return
	}
	src, err := s.st.SourceByToken(r.Context(), strings.TrimSpace(token))
	if errors.Is(err, store.ErrNotFound) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="zhendi", error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, pushAnswer{Error: "访问令牌无效或来源已停用"})
		return
	} else if err != nil {
		s.log.Error("push: find source", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, pushAnswer{Error: "服务暂时不可用，请稍后重试"})
		return
	}
	var body struct {
		Items []json.RawMessage `json:"items"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, pushMaxBytes))
	if err := dec.Decode(&body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, pushAnswer{Error: fmt.Sprintf("请求超过 %d MB，请分批推送", pushMaxBytes>>20)})
			return
		}
		writeJSON(w, http.StatusBadRequest, pushAnswer{Error: "请求应为 JSON：{\"items\": [ … ]}"})
		return
	}
	if len(body.Items) == 0 || len(body.Items) > pushMaxItems {
		writeJSON(w, http.StatusBadRequest, pushAnswer{Error: fmt.Sprintf("每批应有 1 到 %d 条信息", pushMaxItems)})
		return
	}
	// The items are read by the import's JSONL rules (field names, dates,
	// handles removed), one line per item: row N is the N-th item.
	var lines bytes.Buffer
	for _, it := range body.Items {
		lines.Write(bytes.ReplaceAll(it, []byte("\n"), []byte(" ")))
		lines.WriteByte('\n')
	}
	actor := store.Actor{Name: "推送接口：" + src.Name, IP: s.clientIP(r)}
	res, err := s.svc.PushOpinion(r.Context(), actor, src, &lines)
	if err != nil {
		if apperr.IsUser(err) {
			var errs []string
			for _, line := range strings.Split(apperr.Message(err), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					errs = append(errs, line)
				}
			}
			writeJSON(w, http.StatusUnprocessableEntity, pushAnswer{Received: len(body.Items), Error: "有信息不合格，整批未接收", Errors: errs})
			return
		}
		s.log.Error("push: store", "source", src.ID, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, pushAnswer{Error: "保存失败，请稍后重试（重试不会重复保存）"})
		return
	}
	writeJSON(w, http.StatusOK, pushAnswer{Received: res.Read, Stored: res.Stored, Duplicates: res.Folded(), Already: res.Seen, Queued: res.Queued})
}
