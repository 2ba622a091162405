package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhendi/internal/cntime"
	"zhendi/internal/storetest"
)

// phone is a second, separate Chromium sized as a phone (375×812) with the
// user agent of 企业微信's built-in browser, so it has its own session.
func phone(t *testing.T) context.Context {
	t.Helper()
	return browserWith(t, 120*time.Second, chromedp.WindowSize(375, 812),
		chromedp.UserAgent("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1"))
}

// TestBrowserMeetingSignInByScanning: the clerk announces a meeting on the
// desktop; at the meeting the attendee "scans" the code the organiser's
// screen shows (the test reads the link the QR code encodes), logs in on
// the phone, lands signed in, uploads a photo and later confirms the
// minutes; the clerk turns the meeting into its ledger entry.
func TestBrowserMeetingSignInByScanning(t *testing.T) {
	desk := browserFor(t, 150*time.Second)
	ph := phone(t)
	st := storetest.SQLite(t)
	e := newEnv(t, st)
	loadDemo(t, st)
	base := e.srv.URL
	leader := one(t, st, "SELECT id FROM users WHERE username = 'wangjianguo'")[0]
	login := func(ctx context.Context, user, next string) {
		t.Helper()
		do(ctx, t,
			chromedp.Navigate(base+next),
			chromedp.WaitVisible(`input[name=username]`),
			chromedp.SendKeys(`input[name=username]`, user),
			chromedp.SendKeys(`input[name=password]`, "Demo2023zhendi\n"),
		)
	}
	// A phone's viewport (Chromium's window cannot be narrower than 500 px).
	do(ph, t, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	login(desk, "zhuangan", "/meetings/new")
	do(desk, t,
		chromedp.WaitVisible(`input[name=title]`),
		chromedp.SendKeys(`input[name=title]`, "学习贯彻全会精神专题学习"),
		chromedp.SendKeys(`input[name=place]`, "三楼会议室"),
		chromedp.SetValue(`input[name=date]`, "2023-07-06"),
		chromedp.SetValue(`input[name=start]`, "09:00"),
		chromedp.SetValue(`input[name=end]`, "11:00"),
		chromedp.Click(fmt.Sprintf(`input[name=attendees][value="%s"]`, leader)),
		chromedp.Click(`button.primary`),
		chromedp.WaitVisible(`#attendees`),
	)
	shot(desk, t, "meeting-announced")
	meetingURL, err := chromedp.Run(desk, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	meetingPath := strings.TrimPrefix(strings.SplitN(meetingURL, "?", 2)[0], base)

	// The meeting day: the organiser opens the screen.
	e.now = time.Date(2023, 7, 6, 8, 50, 0, 0, cntime.Zone)
	login(desk, "zhuangan", meetingPath+"/screen")
	do(desk, t, chromedp.WaitVisible(`#qr`))
	attr, err := chromedp.Run(desk, chromedp.AttributeValue(`#qr`, "data-url"))
	if err != nil {
		t.Fatal(err)
	}
	scanned := attr.Value
	shot(desk, t, "meeting-screen")
	drawn, err := chromedp.Run(desk, chromedp.Evaluate[bool](`document.querySelector("#qr").naturalWidth > 100`))
	if err != nil || !drawn {
		t.Fatalf("the QR code is not drawn: %v", err)
	}
	if !attr.Exists || !strings.Contains(scanned, "/m/signin?c=") {
		t.Fatalf("the screen's code: %q", scanned)
	}
	// The phone opens the scanned link: log in, then signed in at once.
	signinPath := strings.TrimPrefix(scanned, base)
	login(ph, "wangjianguo", signinPath)
	do(ph, t, chromedp.WaitVisible(`#my-signin`))
	if got := text(ph, t, `#my-signin`); !strings.Contains(got, "扫码签到") {
		t.Fatalf("phone after scanning: %q", got)
	}
	shot(ph, t, "meeting-phone-signed")

	// A photo from the phone.
	png := filepath.Join(t.TempDir(), "会场.png")
	if err := os.WriteFile(png, []byte(pngBytes(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	do(ph, t,
		chromedp.SetUploadFiles(`input[name=photo]`, []string{png}),
		chromedp.Submit(`input[name=photo]`),
		chromedp.WaitVisible(`.flash`),
	)
	if got := text(ph, t, `.flash`); !strings.Contains(got, "照片已上传") {
		t.Fatalf("photo: %q", got)
	}

	// After the meeting: minutes on the desktop, confirmed on the phone.
	e.now = time.Date(2023, 7, 6, 11, 20, 0, 0, cntime.Zone)
	login(desk, "zhuangan", meetingPath)
	do(desk, t,
		chromedp.WaitVisible(`textarea[name=minutes]`),
		chromedp.SendKeys(`textarea[name=minutes]`, "会议传达学习了全会精神，研究了贯彻落实措施。"),
		chromedp.Submit(`textarea[name=minutes]`),
		chromedp.WaitVisible(`.flash`),
	)
	login(ph, "wangjianguo", "/m")
	do(ph, t, chromedp.WaitVisible(`.mlist`))
	if got := text(ph, t, `main`); !strings.Contains(got, "待确认的纪要") {
		t.Fatalf("phone home: %q", got)
	}
	do(ph, t,
		chromedp.Click(`.mlist a`),
		chromedp.WaitVisible(`#minutes`),
		chromedp.SendKeys(`textarea[name=comment]`, "同意"),
		chromedp.Click(`button.primary`),
		chromedp.WaitVisible(`.flash`),
	)
	shot(ph, t, "meeting-phone-confirmed")
	if got := text(ph, t, `.flash`); !strings.Contains(got, "已确认会议纪要") {
		t.Fatalf("confirm: %q", got)
	}
	// The phone page fits the phone: nothing wider than the screen.
	wide, err := chromedp.Run(ph, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Error("the phone page scrolls sideways at 375 px")
	}
	// The notices on the phone: the meeting's notice and the minutes to
	// confirm, unread until marked; the page fits the screen too.
	do(ph, t, chromedp.Navigate(base+"/m/notices"), chromedp.WaitVisible(`#notices`))
	shot(ph, t, "meeting-phone-notices")
	if got := text(ph, t, `#notices`); !strings.Contains(got, "● 会议通知：") || !strings.Contains(got, "● 请确认会议纪要：") {
		t.Errorf("phone notices: %q", got)
	}
	wide, err = chromedp.Run(ph, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || wide {
		t.Errorf("the notices page scrolls sideways at 375 px (%v)", err)
	}
	// The form goes once nothing is unread: waiting for #notices alone
	// would find the page before the post's redirect.
	do(ph, t, chromedp.Click(`form[action="/m/notices/read"] button`), chromedp.WaitNotPresent(`form[action="/m/notices/read"]`), chromedp.WaitVisible(`#notices`))
	if got := text(ph, t, `#notices`); strings.Contains(got, "●") {
		t.Errorf("notices still unread after marking: %q", got)
	}

	// The ledger entry says how it was recorded.
	do(desk, t,
		chromedp.Navigate(base+meetingPath),
		chromedp.WaitVisible(`form[action$="/record"] button`),
		chromedp.Click(`form[action$="/record"] button`),
		chromedp.WaitVisible(`#recording`),
	)
	if got := text(desk, t, `#recording`); !strings.Contains(got, "会前通知并现场签到") || !strings.Contains(got, "现场签到1/1") || !strings.Contains(got, "纪要确认1/1") {
		t.Fatalf("ledger entry: %q", got)
	}
	shot(desk, t, "meeting-ledger-entry")
}
