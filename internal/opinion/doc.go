// Package opinion holds the rules of opinion monitoring (舆情监测): what an
// item is, how texts are normalised, keyed and fingerprinted for
// deduplication, how negativity is scored, how monitoring schemes are
// evaluated over an item's fields, how hits are grouped into events and
// how hot an event is, the incident workflow (处置) with its national due
// times, when an alert fires, and how import files are parsed.
//
// It is a domain package: no SQL, no network, no files other than what is
// embedded. The intake pipeline (sources, storage, NATS) and the pages,
// alerts and reports build on it.
//
// # Lines we do not cross
//
// Opinion monitoring here is aggregate only. An Item has no author field,
// the import parsers never read author or user columns, and
// RedactHandles removes @handles from text before it is stored. Nothing in
// this package counts or profiles persons. Prepare applies the redaction
// to an item from any source.
//
// # Deduplication
//
// Exact copies share ExactKey (SHA-256 of the normalised title and text).
// Near copies (reposts with a comment, a trimmed tail, other punctuation)
// are found with SimHash: 64-bit fingerprints over character shingles of
// the normalised text, compared by Hamming distance. Two texts whose
// fingerprints differ in at most NearDistance (7) bits are near-duplicates
// (Near); texts under MinNearRunes characters have no fingerprint and are
// only folded when equal. Fingerprint gives both keys from one
// normalisation.
// Bands splits a fingerprint into four 16-bit bands: by the pigeonhole
// principle two fingerprints at distance ≤ 7 agree on some band up to one
// bit, so a store can index the bands, look up each band's value and its
// 16 one-bit neighbours (Probes) and compare only the fingerprints found.
// NearIndex is the same idea in memory.
//
// # Negativity
//
// A Lexicon scores text with weighted negative and positive terms,
// negation words (不, 没有, 并非…) that flip the next term, and degree words
// (非常, 有点…) that scale it. DefaultLexicon is the project's own seed
// lexicon for public-affairs topics (lexicon_seed.txt, written for zhendi,
// same licence as the project); a unit may load its own with ParseLexicon.
// MEASUREMENTS.md has its accuracy on the labelled reviews of the shared
// corpus (0.83–0.88 per source on the held-out half) and the
// near-duplicate precision and recall.
//
// # Schemes and events
//
// A Scheme is a named rule in textscan's rule language with a field scope
// (title, text or both), source filters and an active window.
// CompileSchemes puts all schemes of a unit into one SchemeSet, which
// scans an item once per field scope whatever the number of schemes.
// Assign places a scheme hit into an open event (same scheme, within the
// time window, fingerprint close enough) or says a new event begins; Heat
// scores an event from its hourly volume, growth and source weight.
//
// # Incidents and alerts
//
// Level, Step and DueTimes encode the 2016 national rules for responding
// to 政务舆情 (国办发〔2016〕61号 and the 政务公开 implementation rules of the
// same year, 国办发〔2016〕80号): see DueTimes for the citations. AlertRule decides when an event is worth
// an alert; AlertKey is the claim key that makes it once per event and rule.
package opinion
