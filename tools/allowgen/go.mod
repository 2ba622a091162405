module zhendi/tools/allowgen

go 1.26.8

require (
	github.com/go-ego/gse v0.80.3 // indirect
	github.com/vcaesar/cedar v0.20.2 // indirect
)
