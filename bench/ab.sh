#!/bin/sh
# A/B comparison of textscan against an earlier revision of itself, in one
# process: ./ab.sh REV [go test flags], e.g.
#
#	./ab.sh HEAD -ab.rounds 15 -ab.slice 100ms -ab.sets 1000,100000
#
# exports internal/textscan at REV into prevscan/ (not committed), then
# runs TestAB (ab_test.go, build tag ab), which alternates the two
# engines and the fastest peer in short slices of CPU time and reports
# each engine's median and the median and range of the per-round ratios.
set -e
rev=${1:?revision}
shift
rm -rf prevscan
mkdir prevscan
(cd .. && git archive "$rev" internal/textscan) | tar -x -C prevscan --strip-components 2 \
	--exclude '*_test.go' --exclude 'testdata' --exclude 'gen_*.go'
go test -tags ab -run TestAB -count 1 -timeout 60m -v . -args "$@"
