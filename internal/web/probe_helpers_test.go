package web_test

import (
	"io"
	"log/slog"
	"testing"

	"zhendi/internal/service"
	"zhendi/internal/store"
	"zhendi/internal/web"
)

// routesOf is the server's route table: the probes walk it, so a route
// added to routes.go is probed without anyone listing it here.
func routesOf(t *testing.T, st *store.Store) []web.Route {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(web.Config{}, service.New(st, service.Config{}, log), log)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Routes()
}
