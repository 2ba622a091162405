// Package layers states zhendi's import rule as data and checks it in its
// test (ARCHITECTURE.md explains the layers). Every package under internal/
// must be listed here; a new one that is not fails the test, so whoever adds
// a module decides its layer on purpose.
package layers

// Layer is one tier of the import rule. A package may import packages of its
// own layer or of a lower one, never of a higher one.
type Layer int

const (
	// Library: small shared packages (typed errors, China time, the Word
	// writer, the text engine, notification senders); see also Standalone.
	Library Layer = iota
	// Domain: types and rules, no SQL and no I/O (ledger, infosub…).
	Domain
	// Store: SQL, transactions, scope filters, the audit append.
	Store
	// Service: the one orchestration layer and the background jobs.
	Service
	// Edge: handlers and commands, and the tools that drive them (demo
	// data, the performance generator, test databases).
	Edge
)

// Of maps every package under zhendi/internal to its layer.
var Of = map[string]Layer{
	"apperr":      Library,
	"auth":        Library,
	"chartimg":    Library, // Word-document charts as PNG (imports docx)
	"cntime":      Library,
	"docx":        Library,
	"layers":      Library,
	"metrics":     Library, // Prometheus instrumentation (issue 20)
	"notify":      Library,
	"sso":         Library,
	"sso/ssotest": Library,
	"textscan":    Library,
	"upload":      Library,

	"access":     Domain,
	"channel":    Domain, // 阵地 (issue 18)
	"assess":     Domain,
	"audit":      Domain,
	"incident":   Domain,
	"infosub":    Domain,
	"ledger":     Domain,
	"ledgerxlsx": Domain,
	"opreport":   Domain,
	"meeting":    Domain,
	"org":        Domain,
	"report":     Domain,
	"supervise":  Domain,

	// opinion monitoring (issue 17, opcore)
	"opinion": Domain,

	"store": Store,

	"service": Service,

	"demo":      Edge,
	"perf":      Edge,
	"storetest": Edge,
	"web":       Edge,
	"web/form":  Edge,

	// Opinion pipeline (issue 17, oppipe).
	"feed":  Library,
	"opbus": Library,
}

// Standalone lists the libraries that import no project package at all, so
// that they can be lifted out of zhendi as they are.
var Standalone = map[string]bool{"apperr": true, "cntime": true, "docx": true, "textscan": true, "feed": true}

// String is the layer's name for messages.
func (l Layer) String() string {
	return [...]string{"library", "domain", "store", "service", "edge"}[l]
}
