#!/bin/sh
# Regenerates RESULTS.md: the comparison table, then the allocation figures
# of the package benchmarks. Run from bench/.
set -e
go run . -dur 1s -out RESULTS.md "$@"
{
	echo
	echo '## Allocations per scan'
	echo
	echo 'From `go test -run xxx -bench . -benchmem ./internal/textscan` (synthetic text, 10k patterns):'
	echo
	echo '```'
	(cd .. && go test -run xxx -bench . -benchmem -benchtime 1s ./internal/textscan | grep -E '^(Benchmark|goos|goarch|cpu)')
	echo '```'
} >> RESULTS.md
