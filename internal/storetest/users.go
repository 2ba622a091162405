package storetest

import (
	"context"
	"testing"

	"zhendi/internal/access"
	"zhendi/internal/service"
	"zhendi/internal/store"
)

// Scope is the scope the server gives the user with this id on a request
// (service.ScopeOf); the test fails when the user cannot be read.
func Scope(t testing.TB, st *store.Store, userID int64) access.Scope {
	t.Helper()
	u, err := st.User(context.Background(), userID)
	if err != nil {
		t.Fatalf("user %d: %v", userID, err)
	}
	sc, err := service.New(st, service.Config{}, nil).ScopeOf(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Login is the actor and scope of the user with this login name, as a
// request of theirs would carry them.
func Login(t testing.TB, st *store.Store, username string) (store.Actor, access.Scope) {
	t.Helper()
	u, err := st.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return store.Actor{UserID: u.ID, Name: u.Name}, Scope(t, st, u.ID)
}
