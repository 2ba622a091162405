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
// The automaton is stored as a double array with failure links: the child
// of state s on symbol c is t = base[s]+c when check[t] == s. The four
// fields a step needs (base, check, fail, output) sit in one 16-byte cell,
// so a step is usually one cache line. The start state is an ordinary
// cell whose children sit at their symbols. A full DFA (a dense row per
// state) would avoid following failure links, but with thousands of
// distinct characters its rows are kilobytes each and a 100k-word lexicon
// would need gigabytes; byte-level DFAs with alphabet classes (tried
// first) stay large and take three dependent loads per CJK character. The
// double array keeps a 100k-word lexicon around 13 MB.
//
// Placing nodes with hundreds of children (the characters that may follow
// 中) in a double array is the classic slow part of building one. Nodes are
// placed widest first, and free cells are tracked in a bitset so that one
// step tests 64 candidate bases (placer.fit); a 100k-word lexicon compiles
// in about 0.2 s on an idle core.
//
// Each state's output is a chain of entries (the pattern ending here, then
// those ending at its proper suffixes), each holding what a Match needs,
// so reporting a match costs one memory access; Count sums precomputed
// chain counts without a branch.
//
// Leftmost-longest selection runs in the same pass (llFilter): it keeps a
// candidate and drops overlapped matches as they arrive, and commits the
// candidate as soon as the depth of the current automaton state proves
// that no later match can start at or before it. No sorting, no second
// pass.
//
// What limits speed: the failure-link loop and the match branch are data
// dependent and mispredict on dense Chinese text (a 1,000-word lexicon of
// common words matches every two or three characters); each step is a
// dependent load, so throughput is bound by memory latency once the
// automaton outgrows the L2 cache (the 100k-word case); and the decoding of
// UTF-8 costs a few cycles per character.
package textscan
