// Package textscan finds many words and phrases in Chinese text at once.
// It is the matching engine behind screening of drafts (三审三校), opinion
// monitoring schemes and channel inspections, and stands on its own: it
// imports only the standard library.
//
// # Use
//
// Compile a lexicon ([]Pattern, e.g. from LoadText or LoadTSV, or built
// from database rows) into a Matcher, which is immutable and safe for
// concurrent use. Then ask it:
//
//   - FindAll / AppendMatches: every match with byte and character offsets
//     in the original text, leftmost-longest (non-overlapping, what a
//     reader would highlight) or overlapping (every occurrence);
//   - Walk: every overlapping match through a callback with the pattern and
//     byte offsets, building no Match values (the fastest way to consume
//     all matches one by one; allocation-free without normalisation).
//   - Any and Count: the allocation-free fast paths for "does this post
//     hit the lexicon" and "how many hits";
//   - First: the first leftmost-longest match, scanning only as far as
//     needed;
//   - ScanReader: the same over an io.Reader, in chunks, finding matches
//     that straddle chunk boundaries.
//
// A Lexicon holds the current Matcher behind an atomic pointer, so a
// lexicon can be rebuilt and swapped in (hot reload) while scans run.
//
// Monitoring rules such as
//
//	(化工厂 | 化工园区) & (爆炸 | 起火) & !演练
//
// are parsed by ParseRule (errors name the character position, in
// Chinese) and compiled in groups by CompileScheme, which scans a document
// once for the terms of all rules and then evaluates each rule. See Rule
// for the syntax, including NEAR/n(a, b).
//
// # Normalisation and evasion
//
// Options select, per lexicon, full-width → half-width folding, case
// folding and traditional → simplified mapping, and MaxGap, which makes a
// pattern match even when up to MaxGap noise characters are inserted
// between its characters (法 轮·功, 法\u200b轮功, 法😀轮功). IsNoise defines
// noise: everything that is not a letter or a digit — spaces, punctuation
// of all scripts, symbols and emoji, zero-width and other format
// characters, combining marks, and invalid UTF-8 bytes. Digits are content.
// Patterns are normalised the same way when compiled; one that is nothing
// but noise can never match and is listed by Matcher.Unmatchable rather
// than failing the whole lexicon. Reported offsets
// always refer to the original text: a match of 法轮功 in "法 轮.功" covers
// all of "法 轮.功".
//
// The traditional → simplified table (t2s.txt, 4,111 characters) is
// generated from OpenCC's TSCharacters.txt (Apache License 2.0,
// https://github.com/BYVoid/OpenCC), keeping the first candidate of each
// entry. It is character-to-character: phrase-level conversions (OpenCC's
// TSPhrases) are not applied, which is what matching needs — both the
// pattern and the text go through the same mapping, so an ambiguous
// character (乾 → 干) maps consistently on both sides.
//
// # Design
//
// The matcher is an Aho-Corasick automaton over characters, not bytes.
// Compile numbers the distinct characters of the (normalised) patterns
// 1…K, most frequent first, and builds a table from every BMP code point
// to its symbol after normalisation (0 for characters no pattern uses,
// a marker for noise). Scanning decodes UTF-8 inline (ASCII and the
// three-byte sequences of CJK without a function call) and makes one
// automaton step per character instead of three per CJK character in a
// byte automaton. Normalisation therefore costs nothing per character:
// folding is already in the table, and only noise skipping and the
// bookkeeping of original offsets are extra.
//
// The automaton is stored as a double array, with outputs on transitions
// (a Mealy machine). A state is known by its base b; its transition on
// symbol c is the cell at b+c when that cell's check names the state.
// Each cell (16 bytes) holds the check and, in one 8-byte word, the
// identity and the output chain of the state it enters, so a step is one
// memory access. The start state
// has base 0 and a dense row (one cell per symbol).
//
// A state whose failure link points to the start state is complete: a
// symbol its children do not take leads where it leads from the start
// state. The scanning loop loads both cells, its own and the start
// state's, and keeps one with a mask: no branch on whether the state has
// the child, which on dense Chinese text (a 1,000-word lexicon of common
// words matches every two or three characters) the processor guessed
// wrong about every few characters. Other states are incomplete and fall
// back to their failure state, kept in the cell at their base; the sign
// of a state's identity says which kind it is, so telling them apart
// loads nothing. A trie node without children makes every transition its
// failure node makes, so it is not a state at all: transitions lead to
// its failure node directly, carrying its output. (Copying failure rows
// into states, towards a full DFA, was measured and gained nothing: the
// start state's row serves most misses, and the copies made the array
// larger. A full DFA over thousands of distinct characters would need
// gigabytes for 100k words; byte-level DFAs with alphabet classes, tried
// first, take three dependent loads per CJK character.)
//
// The scanning loops write every position to a batch of hits and advance
// the batch only when the state has output, instead of branching there;
// their callers turn the batch into matches. The loops make no calls
// (runes they do not decode themselves go to an outer loop), so the Go
// compiler keeps their state in registers.
//
// Large automata (over 2 MB of cells, e.g. 100k common words) are bound by
// memory latency rather than by mispredictions. For them the loop
// branches on the check instead (step rather than stepFree): when the
// guess "back to the start state" is right, the processor starts the
// next character's access before this one's arrives. Measured on the
// benchmark sets, the branch-free step is 1.3–1.7× faster for 1k and 10k
// words and the branching one 1.2× faster for 100k.
//
// Large automata with sparse matches (fewer than one key per two trie
// nodes: the sensitive-word lexicons) also scan texts of 2 KB or more in
// two lanes (rawHits in pair.go): one loop advances two pieces of the
// text by a character each,
// so that two chains of dependent loads are in flight at once. Lane B
// starts at the seam in the start state; lane A, having reached the seam,
// runs on alone until its own state's string starts at or after the
// seam, at r. From r on B's state is the true one (both are the longest
// suffix of the text that is a trie path, and that lies after the seam),
// so A reports the matches that end at or before r and B those that end
// after it: every match once, in order of its end, with exact offsets and
// exact leftmost-longest bounds. Each lane's hits of a round (16 KB) wait
// in pooled buffers with room for one hit per byte, so neither lane stops
// for the consumer. The pair loop steps with stepFree (with the branching
// step a misprediction in one lane discards the other's load in flight)
// and writes a hit only when there is one (outputs are sparse next to a
// cache miss). Measured in one process, interleaved, minimum of 21 runs,
// on this 2-core machine under a load of 4–6: the houbb lexicon over the
// long text 1.15–1.3× the one-lane scan, 100k words about 1.0×; a lean
// count-only loop over two halves reached 1.26–1.8× over the one-lane
// Count, so what is left is the cost of recording hits. For 100k common
// words (four keys per five nodes, a match every few characters) the
// same-run comparison with the previous engine at a load of about 1 gave
// overlapping AppendMatches 0.82–0.91× with two lanes and 1.03× with one,
// so dense automata keep one lane. Dropped: two
// lanes for small automata (0.8–0.95×: their steps hit the caches, and
// the loop's two states spill registers), for short posts (0.86–0.97× on
// 200-byte posts: fetching buffers and stitching the seam cost more than
// the overlap), two lanes that stop whenever a 128-hit batch fills
// (0.85–1.0×), the branching step in the pair loop (no gain), and
// unconditional hit writes for large automata (houbb 1.01–1.16× against
// 1.15–1.3× with the branch).
//
// Placing nodes with hundreds of children (the characters that may follow
// 中) in a double array is the classic slow part of building one. Nodes are
// placed widest first, and free cells and used bases are tracked in
// bitsets so that one step tests 64 candidate bases (placer.fit). The
// 100k common words of the benchmark compile in about 0.2 s on an idle
// core, into about 3 MB of cells; the package's synthetic 100k lexicon
// (random words over 500 characters, hundreds of children per node) takes
// 0.9 s, most of it searching the dense front of the array for room for
// an incomplete state's fallback cell.
//
// Each output chain lists the key ending in a state, then those ending at
// its proper suffixes, each entry holding what a Match needs, so reporting
// a match costs one memory access; Count sums precomputed chain counts
// without a branch.
//
// Leftmost-longest selection runs in the same pass (llFilter): it keeps a
// candidate and drops overlapped matches as they arrive, and commits the
// candidate as soon as the depth of the current automaton state proves
// that no later match can start at or before it. No sorting, no second
// pass. The candidate lives in the filter's fields, with its key's
// further patterns as a slice of keyPats (equal spans have equal keys),
// and a hit offers the filter only the first entry of its output chain
// that the filter wants, stopping there when it becomes the candidate
// (the rest of the chain overlaps it): one arrival per hit instead of one
// per chain entry. Callgrind, 1k words, 256 KB of the long text scanned
// twice: 67.5M instructions before, 62.3M after (overlapping: 46.7M);
// the remaining gap is the filter's per-hit bookkeeping and commits.
//
// No scanning entry point allocates (TestZeroAllocs covers each, raw
// and normalised, with short and long patterns and the two-lane path).
// Per-call scratch that cannot live on the stack — the position ring for
// patterns over about 60 characters, the leftmost-longest filter's queue,
// First's output, ScanReader's chunk buffer, the two-lane hit buffers,
// Scheme's evaluation state — comes from sync.Pools on the Matcher or
// Scheme; normalised Walk scans directly instead of collecting Matches.
// FindAll, Scheme.Eval, Scheme.Match and Scheme.Hits allocate only the
// slice they return (Scheme.AppendEval allocates nothing).
//
// Profile-guided optimisation was tried with a profile of the bench's
// profiling benchmarks (1k short posts, 1k/100k/houbb long text,
// screening, leftmost-longest 10k): callgrind with GOGC=off, 10k words,
// 512 KB, counted overlapping +2%, leftmost-longest +8%, Count −3%
// instructions, so no default.pgo is committed (the hot loops make no
// calls for it to inline). Not tried (issue 12): 8-byte cells with the
// outputs stored apart (the output would be a second load per step
// unless flagged in the cell, which touches every scanning loop and
// consumer); it could not have been timed reliably on the shared machine
// of that session.
//
// What limits speed: each step is a dependent load, so throughput is
// bound by memory latency once the automaton outgrows the L1 and L2
// caches (the 100k-word case); decoding UTF-8 and looking the character
// up in the symbol table cost a few cycles per character; and the
// failure links of incomplete states still branch, which matters for
// lexicons whose words share many infixes. The branch-free step is not
// always the better one: on text where a state almost never has the
// next character as a child (the synthetic benchmark in this package:
// random characters, every one starting some pattern), the branch is
// always guessed right and step is 1.4× faster. On real text it is not:
// with zhendi's own screening lexicon (about 900 terms, sparse matches)
// over the long corpus text the branch-free step was 1.2–1.4× faster, so
// the choice is made by automaton size alone. The normalised scan does the same work
// plus noise skipping and a ring of the original offsets of recent
// characters (where matches start), 1.3–1.5× the raw time.
package textscan
