package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhendi/internal/cntime"
	"zhendi/internal/store"
	"zhendi/internal/storetest"
)

// The whole of recording at the source through the real router (issue
// 22): a meeting announced in advance, signed in with the rotating code,
// a manual marking with its reason, minutes confirmed, a photo stamped on
// arrival, and the ledger entry that says how it was recorded.
func TestMeetingRecordedAtTheSource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		f := seedTwoUnits(t, st)
		clerk, member, other := e.client(), e.client(), e.client()
		clerk.mustLogin("clerka")
		member.mustLogin("membera")
		other.mustLogin("clerkb")
		tok := clerk.csrf()
		form := url.Values{"csrf": {tok}, "unit": {fmt.Sprint(f.unitA.ID)}, "type": {"central_group"}, "org_id": {fmt.Sprint(f.unitA.ID)},
			"title": {"学习贯彻党的二十大精神"}, "place": {"三楼会议室"}, "date": {"2023-07-05"}, "start": {"09:00"}, "end": {"11:00"},
			"attendees": {fmt.Sprint(f.memberA.ID), fmt.Sprint(f.clerkA.ID)}}

		// A meeting that has already started cannot be announced.
		code, body, _ := clerk.post("/meetings", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "开始时间：已过") {
			t.Fatalf("past meeting: %d %s", code, pageMessage(body))
		}
		form.Set("date", "2023-07-06")
		code, body, loc := clerk.post("/meetings", form)
		if code != http.StatusSeeOther {
			t.Fatalf("announce: %d %s", code, pageMessage(body))
		}
		id := regexp.MustCompile(`^/meetings/(\d+)`).FindStringSubmatch(loc)[1]
		if n := one(t, st, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND link = $2", f.memberA.ID, "/m/meetings/"+id)[0]; n != "1" {
			t.Errorf("the attendee got %s notices, want 1", n)
		}

		mark := url.Values{"csrf": {tok}, "user": {fmt.Sprint(f.clerkA.ID)}}
		screen := func() string {
			t.Helper()
			resp, err := clerk.hc.Get(e.srv.URL + "/meetings/" + id + "/code")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var v struct{ URL, QR string }
			if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || !strings.HasPrefix(v.QR, "data:image/png;base64,") {
				t.Fatalf("code: %d %v %+v", resp.StatusCode, err, v)
			}
			u, _ := url.Parse(v.URL)
			return u.Query().Get("c")
		}
		signin := func(c *client, code string) (int, string, string) {
			t.Helper()
			return c.post("/m/signin", url.Values{"csrf": {c.csrf()}, "c": {code}})
		}

		// moveTo sets the clock; sessions idle out, so everyone logs in again.
		moveTo := func(at time.Time) {
			t.Helper()
			e.now = at
			clerk.mustLogin("clerka")
			member.mustLogin("membera")
			other.mustLogin("clerkb")
			tok = clerk.csrf()
			mark.Set("csrf", tok)
		}
		moveTo(time.Date(2023, 7, 6, 8, 29, 0, 0, cntime.Zone))
		// Before the window opens (30 minutes before the start).
		if code, body, _ := signin(member, screen()); code != http.StatusUnprocessableEntity || !strings.Contains(body, "尚未开始，7月6日08:30起可签到") {
			t.Errorf("early sign-in: %d %s", code, pageMessage(body))
		}
		// In the window: signed in at the server's time.
		moveTo(time.Date(2023, 7, 6, 8, 55, 0, 0, cntime.Zone))
		c := screen()
		if code, body, loc := signin(member, c); code != http.StatusSeeOther || !strings.Contains(loc, "ok=signed_in") {
			t.Fatalf("sign-in: %d %s %s", code, pageMessage(body), loc)
		}
		if at := one(t, st, "SELECT signed_at FROM meeting_attendees WHERE meeting_id = $1 AND user_id = $2", id, f.memberA.ID)[0]; at != fmt.Sprint(e.now.Unix()) {
			t.Errorf("signed at %s, want %d", at, e.now.Unix())
		}
		// The same code again: not an error, the first time is kept.
		if code, _, loc := signin(member, c); code != http.StatusSeeOther || !strings.Contains(loc, "ok=signed_in_before") {
			t.Errorf("second sign-in: %d %s", code, loc)
		}
		// A code photographed and used a minute later is refused.
		e.now = e.now.Add(65 * time.Second)
		if code, body, _ := signin(clerk, c); code != http.StatusUnprocessableEntity || !strings.Contains(body, "签到码：已过期") {
			t.Errorf("expired code: %d %s", code, pageMessage(body))
		}
		// Someone of another unit with a fresh code: nothing recorded.
		if code, _, _ := signin(other, screen()); code == http.StatusSeeOther {
			t.Errorf("another unit's clerk signed in")
		}
		if n := one(t, st, "SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = $1", id)[0]; n != "2" {
			t.Errorf("attendees %s, want 2", n)
		}
		// A forged code.
		if code, body, _ := signin(member, id+"-1-AAAAAAAAAA"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "签到码：无效") {
			t.Errorf("forged code: %d %s", code, pageMessage(body))
		}

		// Marking by hand needs a reason, shown beside the form.
		mark.Set("reason", " ")
		if code, body, _ := clerk.post("/meetings/"+id+"/mark", mark); code != http.StatusUnprocessableEntity || !strings.Contains(body, "原因：手工标记到会须写明原因") {
			t.Errorf("mark without reason: %d %s", code, pageMessage(body))
		}
		mark.Set("reason", "未带手机")
		if code, body, _ := clerk.post("/meetings/"+id+"/mark", mark); code != http.StatusSeeOther {
			t.Errorf("mark: %d %s", code, pageMessage(body))
		}
		// A member cannot mark anyone.
		if code, _, _ := member.post("/meetings/"+id+"/mark", url.Values{"csrf": {member.csrf()}, "user": {fmt.Sprint(f.memberA.ID)}, "reason": {"x"}}); code != http.StatusNotFound {
			t.Errorf("member marking: %d, want 404", code)
		}

		// A photo from the phone, stamped with the receive time.
		moveTo(time.Date(2023, 7, 6, 9, 30, 0, 0, cntime.Zone))
		code, body, _ = member.postMultipart("/meetings/"+id+"/photos", url.Values{"csrf": {member.csrf()}, "back": {"m"}}, map[string][2]string{"photo": {"会场.png", pngBytes(t)}})
		if code != http.StatusSeeOther {
			t.Fatalf("photo: %d %s", code, pageMessage(body))
		}
		if row := one(t, st, "SELECT received_at, far FROM meeting_photos WHERE meeting_id = $1", id); row[0] != fmt.Sprint(e.now.Unix()) || row[1] != "0" {
			t.Errorf("photo row %v", row)
		}

		// Minutes, then the attendee confirms with a comment.
		moveTo(time.Date(2023, 7, 6, 11, 30, 0, 0, cntime.Zone))
		if code, body, _ := clerk.post("/meetings/"+id+"/minutes", url.Values{"csrf": {tok}, "minutes": {"会议传达学习了……"}}); code != http.StatusSeeOther {
			t.Fatalf("minutes: %d %s", code, pageMessage(body))
		}
		_, page := member.get("/m")
		if !strings.Contains(page, "待确认的纪要") {
			t.Errorf("the phone's first page does not ask for the confirmation")
		}
		if code, body, _ := member.post("/m/meetings/"+id+"/confirm", url.Values{"csrf": {member.csrf()}, "comment": {"无意见"}}); code != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", code, pageMessage(body))
		}

		// The ledger entry: recorded at the notice time, with its provenance.
		code, body, loc = clerk.post("/meetings/"+id+"/record", url.Values{"csrf": {tok}})
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/ledger/") {
			t.Fatalf("record: %d %s %s", code, pageMessage(body), loc)
		}
		aid := regexp.MustCompile(`^/ledger/(\d+)`).FindStringSubmatch(loc)[1]
		notice := one(t, st, "SELECT notice_at FROM meetings WHERE id = $1", id)[0]
		if created := one(t, st, "SELECT created_at FROM activities WHERE id = $1", aid)[0]; created != notice {
			t.Errorf("entry recorded at %s, want the notice time %s", created, notice)
		}
		_, page = clerk.get("/ledger/" + aid)
		if !strings.Contains(page, "登记方式：会前通知并现场签到（会前通知、现场签到1/2（另手工标记1人）、纪要确认1/2") {
			t.Errorf("ledger entry provenance: %s", regexp.MustCompile(`登记方式：[^<]*`).FindString(page))
		}
		if row := one(t, st, "SELECT date, start_time, duration_min FROM activities WHERE id = $1", aid); row[0] != "2023-07-06" || row[1] != "09:00" || row[2] != "120" {
			t.Errorf("entry date, start and duration %v, want 2023-07-06 09:00 120", row)
		}
		if n := one(t, st, "SELECT COUNT(*) FROM attendance WHERE activity_id = $1 AND status = 'present'", aid)[0]; n != "2" {
			t.Errorf("present in the entry: %s, want 2", n)
		}
		// The half-year report counts it, and the ledger filter finds it.
		_, page = clerk.get(fmt.Sprintf("/reports/new?kind=half-year&period=2023H2&unit=%d", f.unitA.ID))
		plain := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(regexp.MustCompile(`(?s)<a class="rfig"[^>]*>`).ReplaceAllString(page, ""), "")
		if !strings.Contains(plain, "2023年下半年有1次会议在系统内会前发出通知、参会人员现场扫码签到") {
			i := strings.Index(plain, "突出组织领导")
			t.Errorf("the half-year report does not count the meeting recorded at the source: %.300s", plain[max(i, 0):])
		}
		_, page = clerk.get(fmt.Sprintf("/ledger?unit=%d&source=1", f.unitA.ID))
		if !strings.Contains(page, "共 1 条") || !strings.Contains(page, "现场签到</span>") {
			t.Errorf("the ledger filter 仅看现场签到: %s", regexp.MustCompile(`共 \d+ 条`).FindString(page))
		}
		// Recorded: no more sign-ins, no second entry.
		if code, _, _ := clerk.post("/meetings/"+id+"/record", url.Values{"csrf": {tok}}); code != http.StatusUnprocessableEntity {
			t.Errorf("second record: %d", code)
		}
		if code, body, _ := signin(clerk, screen()); code != http.StatusUnprocessableEntity || !strings.Contains(body, "已登记台账") {
			t.Errorf("sign-in after recording: %d %s", code, pageMessage(body))
		}
		// Everything is on the audit log.
		if n, _ := strconv.Atoi(one(t, st, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'meeting.%'")[0]); n < 7 {
			t.Errorf("meeting audit entries: %d", n)
		}
	})
}
