package meeting

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhendi/internal/apperr"
)

// The sign-in code is time-based and signed by the server, in the manner of
// TOTP (RFC 6238) but bound to one meeting: "<meeting>-<step>-<mac>", where
// step is the 30-second interval since the Unix epoch and mac is the first
// 10 base32 characters (50 bits) of HMAC-SHA256(key, "zhendi-signin|meeting|step").
// The organiser's screen shows a new code every step; a code is accepted in
// its own step and the next one (so a scan just before the change still
// counts), never later, and never for another meeting.

// CodeStep is how often the code on the organiser's screen changes.
const CodeStep = 30 * time.Second

// codeGrace is how many steps after its own a code is still accepted.
const codeGrace = 1

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func codeMAC(key []byte, meetingID, step int64) string {
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "zhendi-signin|%d|%d", meetingID, step)
	return b32.EncodeToString(h.Sum(nil))[:10]
}

// Code is the sign-in code of meetingID at t under key (at least 32 random
// bytes kept by the server).
func Code(key []byte, meetingID int64, t time.Time) string {
	step := t.Unix() / int64(CodeStep/time.Second)
	return fmt.Sprintf("%d-%d-%s", meetingID, step, codeMAC(key, meetingID, step))
}

// CodeExpires is when the code shown at t stops being accepted.
func CodeExpires(t time.Time) time.Time {
	s := int64(CodeStep / time.Second)
	return time.Unix((t.Unix()/s+1+codeGrace)*s, 0)
}

// CheckCode verifies a scanned code at now and returns its meeting. A code
// that is malformed or not signed by key is "无效"; one older than its
// grace step is "已过期" (a photo of the screen sent around afterwards);
// one from the future is "无效" too.
func CheckCode(key []byte, code string, now time.Time) (int64, error) {
	invalid := apperr.Field("签到码", "无效：请扫描会议现场屏幕上的二维码")
	parts := strings.Split(strings.TrimSpace(code), "-")
	if len(parts) != 3 {
		return 0, invalid
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	step, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, invalid
	}
	if !hmac.Equal([]byte(parts[2]), []byte(codeMAC(key, id, step))) {
		return 0, invalid
	}
	cur := now.Unix() / int64(CodeStep/time.Second)
	switch {
	case step > cur:
		return 0, invalid
	case cur-step > codeGrace:
		return 0, apperr.Field("签到码", "已过期：二维码每30秒更换，请扫描屏幕上最新的二维码")
	}
	return id, nil
}
