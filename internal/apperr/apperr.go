// Package apperr holds the error kinds every layer of zhendi shares, so that
// a handler can tell "the user typed something wrong" from "the record is
// not there" from "the database is down" with errors.Is and errors.As, never
// by reading the message.
//
//   - *Error (and Errors, a list of them) is a user error: a field name and a
//     Chinese message, shown beside the form with status 422. It survives
//     wrapping with fmt.Errorf("…: %w", err).
//   - ErrNotFound: the record does not exist or is outside the caller's
//     scope (deliberately indistinguishable); 404.
//   - ErrUnavailable: the database cannot be reached; 503.
//   - ErrStorageFull: the disk or database is full; 507.
//
// Anything else is a server failure (500) and is logged, never shown.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a user error: Field names the form field or column in Chinese
// (empty when the message concerns the whole action) and Msg says what is
// wrong, in Chinese with full-width punctuation.
type Error struct {
	Field string
	Msg   string
}

// Error returns "字段：原因" (a full-width colon, as Chinese text takes),
// or the message alone when there is no field.
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + "：" + e.Msg
}

// Field returns a user error about one field.
func Field(field, msg string) *Error { return &Error{Field: field, Msg: msg} }

// Rule returns a user error about the action as a whole ("只有撰写人可以提交"):
// a workflow or permission rule the user can act on.
func Rule(msg string) *Error { return &Error{Msg: msg} }

// Errors is every user error from one validation, in form order.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "；")
}

// OrNil returns es as an error, or nil when it is empty (so a validator can
// end with "return errs.OrNil()" without the typed-nil trap).
func (es Errors) OrNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// User reports whether err is (or wraps) a user error and returns its
// messages, one per field, for showing beside the form.
func User(err error) ([]string, bool) {
	var list Errors
	if errors.As(err, &list) {
		msgs := make([]string, len(list))
		for i, e := range list {
			msgs[i] = e.Error()
		}
		return msgs, true
	}
	var one *Error
	if errors.As(err, &one) {
		return []string{one.Error()}, true
	}
	return nil, false
}

// IsUser reports whether err is (or wraps) a user error.
func IsUser(err error) bool {
	_, ok := User(err)
	return ok
}

// Message returns the user-facing text of a user error, joined when there are
// several, or "" when err is not a user error.
func Message(err error) string {
	msgs, ok := User(err)
	if !ok {
		return ""
	}
	return strings.Join(msgs, "；")
}

// Sentinels; wrap them with %w to add context.
var (
	// ErrNotFound: no such record, or not in the caller's scope.
	ErrNotFound = errors.New("not found or out of scope")
	// ErrUnavailable: the database connection failed or was closed.
	ErrUnavailable = errors.New("database unavailable")
	// ErrStorageFull: no space left for the database or the attachment files.
	ErrStorageFull = errors.New("storage full")
)

// Within puts a Chinese location ("第 3 行", "第 2 条") in front of a user
// error's message and keeps it a user error; any other error is wrapped with
// the location as plain context.
func Within(where string, err error) error {
	var list Errors
	if errors.As(err, &list) {
		out := make(Errors, len(list))
		for i, e := range list {
			out[i] = &Error{Field: where, Msg: e.Error()}
		}
		return out
	}
	var one *Error
	if errors.As(err, &one) {
		return &Error{Field: where, Msg: one.Error()}
	}
	return fmt.Errorf("%s: %w", where, err)
}
