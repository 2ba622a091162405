package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"zhendi/internal/access"
	"zhendi/internal/cntime"
	"zhendi/internal/ledger"
	"zhendi/internal/meeting"
)

// Meetings recorded at the source (issue 22): announced, signed in,
// photographed, minuted, confirmed, then turned into the ledger entry.

const meetingCols = `id, unit_id, org_id, type, title, place, agenda, required_topics, COALESCE(plan_item_id,0),
	starts_at, ends_at, notice_at, COALESCE(created_by,0), COALESCE(activity_id,0), minutes, COALESCE(minutes_at,0), COALESCE(cancelled_at,0)`

// inZone is a stored unix time in China Standard Time, so the meeting
// rules' messages ("8时30分起可签到") read as the user's clock.
func inZone(v int64) time.Time { return time.Unix(v, 0).In(cntime.Zone) }

func unixOrZero(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return inZone(v)
}

func scanMeeting(r interface{ Scan(...any) error }) (meeting.Meeting, error) {
	var m meeting.Meeting
	var topics string
	var start, end, notice, minutesAt, cancelled int64
	err := r.Scan(&m.ID, &m.UnitID, &m.OrgID, &m.Type, &m.Title, &m.Place, &m.Agenda, &topics, &m.PlanItemID,
		&start, &end, &notice, &m.CreatedBy, &m.ActivityID, &m.Minutes, &minutesAt, &cancelled)
	m.RequiredTopics = splitCodes(topics)
	m.Start, m.End, m.NoticeAt = inZone(start), inZone(end), inZone(notice)
	m.MinutesAt, m.CancelledAt = unixOrZero(minutesAt), unixOrZero(cancelled)
	return m, err
}

// q is the part of *sql.DB and *sql.Tx the meeting reads use.
type q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadMeeting reads a meeting with its attendees (names and nodes), or
// ErrNotFound.
func loadMeeting(ctx context.Context, db q, id int64) (meeting.Meeting, error) {
	m, err := scanMeeting(db.QueryRowContext(ctx, "SELECT "+meetingCols+" FROM meetings WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	} else if err != nil {
		return m, fmt.Errorf("read meeting %d: %w", id, err)
	}
	rows, err := db.QueryContext(ctx, `SELECT ma.user_id, u.name, o.name, COALESCE(ma.signed_at,0), ma.manual, ma.reason,
		COALESCE(ma.marked_by,0), COALESCE(ma.confirmed_at,0), ma.comment
		FROM meeting_attendees ma JOIN users u ON u.id = ma.user_id JOIN orgs o ON o.id = u.org_id
		WHERE ma.meeting_id = $1 ORDER BY o.sort, o.id, u.id`, id)
	if err != nil {
		return m, fmt.Errorf("read attendees of meeting %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a meeting.Attendee
		var signed, confirmed int64
		if err := rows.Scan(&a.UserID, &a.Name, &a.OrgName, &signed, &a.Manual, &a.Reason, &a.MarkedBy, &confirmed, &a.Comment); err != nil {
			return m, fmt.Errorf("read attendee: %w", err)
		}
		a.SignedAt, a.ConfirmedAt = unixOrZero(signed), unixOrZero(confirmed)
		m.Attendees = append(m.Attendees, a)
	}
	return m, rows.Err()
}

// meetingVisible: the organising node is readable, or the user is invited.
func meetingVisible(sc access.Scope, m meeting.Meeting) bool {
	return sc.CanRead(m.UnitID, m.OrgID) || m.Invited(sc.UserID)
}

// Meeting returns a meeting the scope may see (its node is readable, or the
// user is invited), with its attendees; otherwise ErrNotFound.
func (s *Store) Meeting(ctx context.Context, sc access.Scope, id int64) (meeting.Meeting, error) {
	m, err := loadMeeting(ctx, s.db, id)
	if err != nil {
		return m, err
	}
	if !meetingVisible(sc, m) {
		return meeting.Meeting{}, ErrNotFound
	}
	return m, nil
}

// MeetingSummary is one line of a meeting list.
type MeetingSummary struct {
	meeting.Meeting
	Counts meeting.Counts
}

// Meetings lists the meetings of unitID starting in [from, to) that the
// scope may see (readable nodes, or invited), newest first, at most limit.
func (s *Store) Meetings(ctx context.Context, sc access.Scope, unitID int64, from, to time.Time, limit int) ([]MeetingSummary, error) {
	list, err := s.meetingsBy(ctx, `SELECT id FROM meetings WHERE unit_id = $1 AND starts_at >= $2 AND starts_at < $3
		ORDER BY starts_at DESC, id DESC`, unitID, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	var out []MeetingSummary
	for _, m := range list {
		if !meetingVisible(sc, m) {
			continue
		}
		out = append(out, MeetingSummary{Meeting: m, Counts: m.Count()})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// MyMeetings lists the meetings userID is invited to that end after from
// or still have minutes to confirm (posted after from), soonest first: the
// mobile page's list.
func (s *Store) MyMeetings(ctx context.Context, userID int64, from time.Time) ([]meeting.Meeting, error) {
	list, err := s.meetingsBy(ctx, `SELECT m.id FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
		WHERE ma.user_id = $1 AND m.cancelled_at IS NULL AND (m.ends_at >= $2 OR m.minutes_at >= $2)
		ORDER BY m.starts_at, m.id LIMIT 50`, userID, from.Unix())
	if err != nil {
		return nil, fmt.Errorf("list my meetings: %w", err)
	}
	return list, nil
}

// meetingsBy loads, with their attendees, the meetings whose ids query
// returns, in its order.
func (s *Store) meetingsBy(ctx context.Context, query string, args ...any) ([]meeting.Meeting, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]meeting.Meeting, 0, len(ids))
	for _, id := range ids {
		m, err := loadMeeting(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// CreateMeeting stores a validated meeting announced now, with its
// attendees and an in-app notice to each, in one transaction. The
// organising node must be one the scope writes and every attendee one of
// the unit's people; check sees the people's names as read in the
// transaction (id → name, missing when not the unit's).
func (s *Store) CreateMeeting(ctx context.Context, actor Actor, sc access.Scope, m *meeting.Meeting, check func(names map[int64]string) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var unitID int64
		err := tx.QueryRowContext(ctx, "SELECT COALESCE(unit_id,0) FROM orgs WHERE id = $1 AND deleted_at IS NULL", m.OrgID).Scan(&unitID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (unitID != m.UnitID || !sc.CanWrite(m.UnitID, m.OrgID))) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("read organising node: %w", err)
		}
		names := map[int64]string{}
		for _, a := range m.Attendees {
			var name string
			err := tx.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1 AND unit_id = $2 AND disabled = 0", a.UserID, m.UnitID).Scan(&name)
			if err == nil {
				names[a.UserID] = name
			} else if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("read attendee %d: %w", a.UserID, err)
			}
		}
		if err := check(names); err != nil {
			return err
		}
		m.NoticeAt, m.CreatedBy = s.Now().Truncate(time.Second), actor.UserID
		err = tx.QueryRowContext(ctx, `INSERT INTO meetings (unit_id, org_id, type, title, place, agenda, required_topics, plan_item_id,
			starts_at, ends_at, notice_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
			m.UnitID, m.OrgID, m.Type, m.Title, m.Place, m.Agenda, joinCodes(m.RequiredTopics), nullID(m.PlanItemID),
			m.Start.Unix(), m.End.Unix(), m.NoticeAt.Unix(), nullID(actor.UserID)).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("insert meeting: %w", err)
		}
		ids := make([]int64, 0, len(m.Attendees))
		for i := range m.Attendees {
			a := &m.Attendees[i]
			a.Name = names[a.UserID]
			if _, err := tx.ExecContext(ctx, "INSERT INTO meeting_attendees (meeting_id, user_id) VALUES ($1,$2)", m.ID, a.UserID); err != nil {
				return fmt.Errorf("insert attendee: %w", err)
			}
			ids = append(ids, a.UserID)
		}
		title := "会议通知：" + m.Title
		body := fmt.Sprintf("%s在%s召开，请准时参加，到会后扫描现场二维码签到。", m.Start.Format("1月2日15:04"), m.Place)
		if err := notifyTx(ctx, tx, s.Now(), m.UnitID, ids, fmt.Sprintf("meeting:%d:notice", m.ID), title, body, fmt.Sprintf("/m/meetings/%d", m.ID)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.create", "meeting", m.ID, nil, meetingSnapshot(*m))
	})
}

func meetingSnapshot(m meeting.Meeting) map[string]any {
	ids := make([]int64, len(m.Attendees))
	for i, a := range m.Attendees {
		ids[i] = a.UserID
	}
	return map[string]any{"type": m.Type, "title": m.Title, "place": m.Place, "start": m.Start.Unix(), "end": m.End.Unix(),
		"attendees": ids, "topics": m.RequiredTopics, "plan_item": m.PlanItemID}
}

// changeMeeting loads a meeting inside a transaction, hands it to fn (which
// applies the rule and the change), and returns fn's error. Out of scope
// is ErrNotFound.
func (s *Store) changeMeeting(ctx context.Context, sc access.Scope, id int64, fn func(tx *sql.Tx, m *meeting.Meeting) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET id = id WHERE id = $1", id); err != nil { // lock the row (PostgreSQL)
			return fmt.Errorf("lock meeting %d: %w", id, err)
		}
		m, err := loadMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		if !meetingVisible(sc, m) {
			return ErrNotFound
		}
		return fn(tx, &m)
	})
}

// SignIn records userID's sign-in at the server's time, after check (the
// window and the list, meeting.Meeting.CanSignIn). Signing in again keeps
// the first time and writes nothing. It reports whether this was the first.
func (s *Store) SignIn(ctx context.Context, actor Actor, sc access.Scope, id int64, check func(*meeting.Meeting) error) (bool, error) {
	first := false
	err := s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		if err := check(m); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE meeting_attendees SET signed_at = $1 WHERE meeting_id = $2 AND user_id = $3 AND signed_at IS NULL",
			s.Now().Unix(), id, sc.UserID)
		if err != nil {
			return fmt.Errorf("sign in: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		first = true
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.signin", "meeting", id, nil, map[string]any{"user": sc.UserID})
	})
	return first, err
}

// MarkPresent marks userID present by hand, with a reason, after check
// (meeting.Meeting.CanMark); the organiser needs write access to the node.
func (s *Store) MarkPresent(ctx context.Context, actor Actor, sc access.Scope, id, userID int64, reason string, check func(*meeting.Meeting) error) error {
	return s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		if !sc.CanWrite(m.UnitID, m.OrgID) {
			return ErrNotFound
		}
		if err := check(m); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE meeting_attendees SET signed_at = $1, manual = 1, reason = $2, marked_by = $3
			WHERE meeting_id = $4 AND user_id = $5 AND signed_at IS NULL`, s.Now().Unix(), reason, nullID(actor.UserID), id, userID)
		if err != nil {
			return fmt.Errorf("mark present: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.mark", "meeting", id, nil, map[string]any{"user": userID, "reason": reason})
	})
}

// PostMinutes saves the minutes (first posting or a correction) after check
// and notifies those present that they may confirm them.
func (s *Store) PostMinutes(ctx context.Context, actor Actor, sc access.Scope, id int64, text string, check func(*meeting.Meeting) error) error {
	return s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		if !sc.CanWrite(m.UnitID, m.OrgID) {
			return ErrNotFound
		}
		if err := check(m); err != nil {
			return err
		}
		now := s.Now().Unix()
		before := m.Minutes
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET minutes = $1, minutes_at = $2 WHERE id = $3", text, now, id); err != nil {
			return fmt.Errorf("save minutes: %w", err)
		}
		var present []int64
		for _, a := range m.Attendees {
			if a.Present() {
				present = append(present, a.UserID)
			}
		}
		key := fmt.Sprintf("meeting:%d:minutes:%d", id, now)
		if err := notifyTx(ctx, tx, s.Now(), m.UnitID, present, key, "请确认会议纪要："+m.Title, "会议纪要已发布，可在手机上查看并确认或提出意见。", fmt.Sprintf("/m/meetings/%d", id)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.minutes", "meeting", id, map[string]any{"minutes": before}, map[string]any{"minutes": text})
	})
}

// ConfirmMinutes records the user's confirmation and optional comment
// after check (meeting.Meeting.CanConfirm). Confirming again replaces the
// comment and keeps the first time.
func (s *Store) ConfirmMinutes(ctx context.Context, actor Actor, sc access.Scope, id int64, comment string, check func(*meeting.Meeting) error) error {
	return s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		if err := check(m); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE meeting_attendees SET confirmed_at = COALESCE(confirmed_at, $1), comment = $2
			WHERE meeting_id = $3 AND user_id = $4`, s.Now().Unix(), comment, id, sc.UserID)
		if err != nil {
			return fmt.Errorf("confirm minutes: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.confirm", "meeting", id, nil, map[string]any{"user": sc.UserID, "comment": comment})
	})
}

// MeetingPhoto is one photo of a meeting.
type MeetingPhoto struct {
	ID         int64
	MeetingID  int64
	Name       string
	Mime       string
	Size       int64
	SHA256     string
	ReceivedAt time.Time
	UploadedBy string
	Far        bool
}

// AddMeetingPhoto links a photo already stored with PutBlob to a meeting,
// stamped with the server's time now; far is decided by check's result
// (meeting.Meeting.PhotoFar), which may also refuse. Attendees and the
// organising node's writers may add photos.
func (s *Store) AddMeetingPhoto(ctx context.Context, actor Actor, sc access.Scope, id int64, p *MeetingPhoto, check func(*meeting.Meeting, time.Time) (bool, error)) error {
	return s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		now := s.Now().Truncate(time.Second)
		far, err := check(m, now)
		if err != nil {
			return err
		}
		p.MeetingID, p.ReceivedAt, p.Far = id, now, far
		err = tx.QueryRowContext(ctx, `INSERT INTO meeting_photos (meeting_id, unit_id, name, mime, size, sha256, received_at, uploaded_by, far)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, id, m.UnitID, p.Name, p.Mime, p.Size, p.SHA256, now.Unix(), nullID(actor.UserID), b2i(far)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert meeting photo: %w", err)
		}
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.photo", "meeting", id, nil,
			map[string]any{"photo": p.ID, "name": p.Name, "sha256": p.SHA256, "size": p.Size, "far": far})
	})
}

// MeetingPhotos lists a visible meeting's photos in order of arrival.
func (s *Store) MeetingPhotos(ctx context.Context, sc access.Scope, id int64) ([]MeetingPhoto, error) {
	if _, err := s.Meeting(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.meeting_id, p.name, p.mime, p.size, p.sha256, p.received_at, COALESCE(u.name,''), p.far
		FROM meeting_photos p LEFT JOIN users u ON u.id = p.uploaded_by WHERE p.meeting_id = $1 ORDER BY p.received_at, p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("list meeting photos: %w", err)
	}
	defer rows.Close()
	var out []MeetingPhoto
	for rows.Next() {
		var p MeetingPhoto
		var at int64
		if err := rows.Scan(&p.ID, &p.MeetingID, &p.Name, &p.Mime, &p.Size, &p.SHA256, &at, &p.UploadedBy, &p.Far); err != nil {
			return nil, fmt.Errorf("read meeting photo: %w", err)
		}
		p.ReceivedAt = inZone(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// OpenMeetingPhoto returns a photo of a visible meeting and its file.
func (s *Store) OpenMeetingPhoto(ctx context.Context, sc access.Scope, id, photoID int64) (MeetingPhoto, io.ReadSeekCloser, error) {
	photos, err := s.MeetingPhotos(ctx, sc, id)
	if err != nil {
		return MeetingPhoto{}, nil, err
	}
	for _, p := range photos {
		if p.ID == photoID {
			f, err := s.openBlob(p.SHA256)
			return p, f, err
		}
	}
	return MeetingPhoto{}, nil, ErrNotFound
}

// RecordMeeting turns a meeting into its ledger entry in one transaction:
// check (meeting.Meeting.CanRecord, then Activity and the ledger's own
// validation and reference check) returns the entry, which is stored with
// the meeting's notice time as its recording time (the record was begun
// then, issue 22 part 1), linked to the meeting, audited and indexed. The
// entry's id is returned.
func (s *Store) RecordMeeting(ctx context.Context, actor Actor, sc access.Scope, id int64,
	check func(*meeting.Meeting) (ledger.Activity, error), resolve func(*ledger.Activity, ledger.Refs) error) (int64, error) {
	var aid int64
	err := s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		if !sc.CanWrite(m.UnitID, m.OrgID) {
			return ErrNotFound
		}
		a, err := check(m)
		if err != nil {
			return err
		}
		r, err := activityRefs(ctx, tx, &a)
		if err != nil {
			return err
		}
		if err := resolve(&a, r); err != nil {
			return err
		}
		if err := s.insertActivity(ctx, tx, actor, &a); err != nil {
			return err
		}
		a.CreatedAt = m.NoticeAt.Unix()
		if _, err := tx.ExecContext(ctx, "UPDATE activities SET created_at = $1 WHERE id = $2", a.CreatedAt, a.ID); err != nil {
			return fmt.Errorf("date the entry by its notice: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET activity_id = $1 WHERE id = $2", a.ID, id); err != nil {
			return fmt.Errorf("link meeting to entry: %w", err)
		}
		if err := s.appendAudit(ctx, tx, actor, a.UnitID, "activity.create", "activity", a.ID, nil, snapshot(a)); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.record", "meeting", id, nil, map[string]any{"activity": a.ID}); err != nil {
			return err
		}
		aid = a.ID
		return s.indexActivities(ctx, tx, []searchDoc{{a.ID, a.SearchText()}}, false)
	})
	return aid, err
}

// CancelMeeting cancels a meeting not yet recorded and tells the attendees.
func (s *Store) CancelMeeting(ctx context.Context, actor Actor, sc access.Scope, id int64, check func(*meeting.Meeting) error) error {
	return s.changeMeeting(ctx, sc, id, func(tx *sql.Tx, m *meeting.Meeting) error {
		if !sc.CanWrite(m.UnitID, m.OrgID) {
			return ErrNotFound
		}
		if err := check(m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET cancelled_at = $1 WHERE id = $2", s.Now().Unix(), id); err != nil {
			return fmt.Errorf("cancel meeting: %w", err)
		}
		ids := make([]int64, len(m.Attendees))
		for i, a := range m.Attendees {
			ids[i] = a.UserID
		}
		if err := notifyTx(ctx, tx, s.Now(), m.UnitID, ids, fmt.Sprintf("meeting:%d:cancel", id), "会议取消："+m.Title,
			fmt.Sprintf("原定%s召开的会议已取消。", m.Start.Format("1月2日15:04")), fmt.Sprintf("/m/meetings/%d", id)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, m.UnitID, "meeting.cancel", "meeting", id, nil, nil)
	})
}

// atSource is the ledger filter's condition for an entry recorded at the
// source (ledger.Filter.AtSource): its meeting had a sign-in by code.
const atSource = `EXISTS (SELECT 1 FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
	WHERE m.activity_id = a.id AND ma.signed_at IS NOT NULL AND ma.manual = 0)`

// ActivitySources is the recording-at-the-source line of each of the
// entries ids that came from a meeting (entries from none are absent), in
// one query.
func (s *Store) ActivitySources(ctx context.Context, ids []int64) (map[int64]ledger.SourceInfo, error) {
	out := map[int64]ledger.SourceInfo{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.activity_id, m.id, m.notice_at, COUNT(*),
		SUM(CASE WHEN ma.signed_at IS NOT NULL AND ma.manual = 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN ma.signed_at IS NOT NULL AND ma.manual = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN ma.signed_at IS NOT NULL AND ma.confirmed_at IS NOT NULL THEN 1 ELSE 0 END)
		FROM meetings m JOIN meeting_attendees ma ON ma.meeting_id = m.id
		WHERE m.activity_id IN (`+strings.Join(ph, ",")+`) GROUP BY m.activity_id, m.id, m.notice_at`, a...)
	if err != nil {
		return nil, fmt.Errorf("read sources of entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var si ledger.SourceInfo
		if err := rows.Scan(&aid, &si.MeetingID, &si.NoticeAt, &si.Invited, &si.Signed, &si.Manual, &si.Confirmed); err != nil {
			return nil, fmt.Errorf("read source of entry: %w", err)
		}
		out[aid] = si
	}
	return out, rows.Err()
}

// ActivitySource is the recording-at-the-source line of an entry: the
// meeting it came from and its counts; zero when it came from none.
func (s *Store) ActivitySource(ctx context.Context, activityID int64) (ledger.SourceInfo, error) {
	m, err := s.ActivitySources(ctx, []int64{activityID})
	return m[activityID], err
}

// SigninKey is the installation's key for meeting sign-in codes (32 random
// bytes), made on first use and kept in the settings table so every node
// of a cluster signs and checks the same codes.
func (s *Store) SigninKey(ctx context.Context) ([]byte, error) {
	const key = "meeting.signin_key"
	v, ok, err := s.setting(ctx, key)
	if err != nil {
		return nil, err
	}
	if !ok {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("make sign-in key: %w", err)
		}
		if _, err := s.db.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", key, hex.EncodeToString(b)); err != nil {
			return nil, fmt.Errorf("store sign-in key: %w", err)
		}
		if v, _, err = s.setting(ctx, key); err != nil {
			return nil, err
		}
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) < 16 {
		return nil, fmt.Errorf("sign-in key in settings is damaged")
	}
	return b, nil
}

// MeetingsToRemind are the meetings a reminder round may have something
// to send for at now: not cancelled nor recorded, and either announced in
// the last two days and not yet started (the notice), or with sign-in
// possibly open (from maxBefore before the start to the end), or with
// minutes posted within confirm.
func (s *Store) MeetingsToRemind(ctx context.Context, now time.Time, maxBefore, confirm time.Duration) ([]meeting.Meeting, error) {
	t := now.Unix()
	list, err := s.meetingsBy(ctx, `SELECT id FROM meetings WHERE cancelled_at IS NULL AND activity_id IS NULL AND (
		(notice_at >= $1 AND starts_at > $2) OR (starts_at <= $3 AND ends_at >= $2) OR (minutes_at >= $4)) ORDER BY id`,
		t-2*86400, t, t+int64(maxBefore.Seconds()), t-int64(confirm.Seconds()))
	if err != nil {
		return nil, fmt.Errorf("meetings to remind: %w", err)
	}
	return list, nil
}

// MeetingWindow is a unit's sign-in window (meeting.DefaultWindow when
// the unit has set none).
func (s *Store) MeetingWindow(ctx context.Context, unitID int64) (meeting.Window, error) {
	var before, after int64
	err := s.db.QueryRowContext(ctx, "SELECT before_min, after_min FROM meeting_settings WHERE unit_id = $1", unitID).Scan(&before, &after)
	if errors.Is(err, sql.ErrNoRows) {
		return meeting.DefaultWindow, nil
	} else if err != nil {
		return meeting.Window{}, fmt.Errorf("read sign-in window of unit %d: %w", unitID, err)
	}
	return meeting.Window{Before: time.Duration(before) * time.Minute, After: time.Duration(after) * time.Minute}, nil
}

// SaveMeetingWindow sets a unit's validated sign-in window, with an audit
// entry giving the window before and after.
func (s *Store) SaveMeetingWindow(ctx context.Context, actor Actor, unitID int64, w meeting.Window) error {
	before, err := s.MeetingWindow(ctx, unitID)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meeting_settings (unit_id, before_min, after_min, updated_at) VALUES ($1,$2,$3,$4)
			ON CONFLICT (unit_id) DO UPDATE SET before_min = excluded.before_min, after_min = excluded.after_min, updated_at = excluded.updated_at`,
			unitID, int64(w.Before/time.Minute), int64(w.After/time.Minute), s.Now().Unix())
		if err != nil {
			return fmt.Errorf("save sign-in window: %w", err)
		}
		view := func(w meeting.Window) map[string]int64 {
			return map[string]int64{"before_min": int64(w.Before / time.Minute), "after_min": int64(w.After / time.Minute)}
		}
		return s.appendAudit(ctx, tx, actor, unitID, "meeting.settings", "unit", unitID, view(before), view(w))
	})
}
