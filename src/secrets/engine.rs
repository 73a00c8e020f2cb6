//! The search: one Aho-Corasick pass over every rule's keywords ([`keyword_hits`]) finds the
//! lines a rule's regex must look at, each rule's regex runs on those lines only, and its
//! candidates are confirmed by the rule's check ([`Rule::confirm`]).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Match, MatchKind};

use super::rules::{self, EndMarkers, Reach, Rule};
use super::{fingerprint, Finding};

/// The built-in rules, in priority order.
pub(super) fn rules() -> &'static [Rule] {
    &engine().rules
}

/// The confirmed matches in `text`, in order of position, one per secret.
pub(super) fn scan_raw(text: &str) -> Vec<RawFinding> {
    // The shortest possible match of any rule (a legacy Slack token) is 12 bytes.
    if text.len() < 12 {
        return Vec::new();
    }
    let engine = engine();
    drop_overlaps(engine.search(text, &engine.windows(text)))
}

/// Of findings that overlap, keeps the one whose rule comes first (a vendor token before the
/// URL, header or assignment it stands in: the same secret seen twice); the rest in order of
/// position.
fn drop_overlaps(mut raw: Vec<RawFinding>) -> Vec<RawFinding> {
    raw.sort_by_key(|r| (r.start, r.rule));
    let mut keep = vec![true; raw.len()];
    // The findings that reach past the start of the current one (few: one rule's matches never
    // overlap each other).
    let mut open: Vec<usize> = Vec::new();
    for i in 0..raw.len() {
        open.retain(|&j| raw[j].end > raw[i].start);
        for &j in &open {
            if raw[j].rule < raw[i].rule {
                keep[i] = false;
            } else {
                keep[j] = false;
            }
        }
        open.push(i);
    }
    let mut keep = keep.into_iter();
    raw.retain(|_| keep.next().unwrap_or(true));
    raw
}

/// The compiled rules and the keyword automaton in front of them.
struct Engine {
    rules: Vec<Rule>,
    /// Every rule's keywords, each distinct keyword once, ASCII case-insensitive: a DFA whatever
    /// the number of keywords, one table lookup per byte.
    keywords: DFA,
    /// For keyword pattern `i`, the indexes of the rules that list it.
    keyword_rules: Vec<Vec<usize>>,
}

impl Engine {
    /// For each rule, the parts of `text` its regex must search: the whole lines (with their line
    /// break) that hold one of its keywords, with the next line for a rule whose value may stand
    /// there when the line ends so that it can ([`value_may_follow`]), merged where they touch;
    /// or the whole text for a rule whose matches run further (a PEM block). Empty for a rule
    /// none of whose keywords occur.
    ///
    /// Searching these lines finds exactly what a search of the whole text finds: a match holds
    /// its keyword on the line where it starts and runs at most as far as its rule's reach, and
    /// cutting at line starts keeps every `\b` and `$` decision the same.
    fn windows(&self, text: &str) -> Vec<Vec<Range<usize>>> {
        self.windows_of_hits(text, keyword_hits(&self.keywords, text.as_bytes()))
    }

    /// [`Engine::windows`] from `hits`, every keyword occurrence in `text` in the order of an
    /// overlapping search.
    fn windows_of_hits(
        &self,
        text: &str,
        hits: impl Iterator<Item = Match>,
    ) -> Vec<Vec<Range<usize>>> {
        let mut windows: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.rules.len()];
        let mut line = 0..0;
        let mut next_line_end = 0;
        for hit in hits {
            // Hits come in order of their end and hold no line break, so their lines ascend and
            // a hit that starts before the end of the current line is on it.
            if hit.start() >= line.end {
                line = line_around(text, hit.start(), hit.end());
                next_line_end = if value_may_follow(&text[line.clone()]) {
                    line_end(text.as_bytes(), line.end)
                } else {
                    line.end
                };
            }
            for &idx in &self.keyword_rules[hit.pattern().as_usize()] {
                let rule_windows = &mut windows[idx];
                let end = match self.rules[idx].reach {
                    Reach::Line => line.end,
                    Reach::NextLine => next_line_end,
                    Reach::Text => {
                        if rule_windows.is_empty() {
                            rule_windows.push(0..text.len());
                        }
                        continue;
                    }
                };
                match rule_windows.last_mut() {
                    Some(last) if last.end >= line.start => last.end = last.end.max(end),
                    _ => rule_windows.push(line.start..end),
                }
            }
        }
        windows
    }

    /// Runs each rule's regex over its windows of `text` (see [`Engine::windows`]) and confirms
    /// the candidates; offsets are into `text`.
    fn search(&self, text: &str, windows: &[Vec<Range<usize>>]) -> Vec<RawFinding> {
        let mut raw = Vec::new();
        for (idx, rule_windows) in windows.iter().enumerate() {
            let rule = &self.rules[idx];
            for window in rule_windows {
                let part = &text[window.clone()];
                let mut end_markers = EndMarkers::default();
                for caps in rule.candidates(part) {
                    if let Some((start, end, secret)) = rule.confirm(part, &caps, &mut end_markers)
                    {
                        raw.push(RawFinding {
                            start: window.start + start,
                            end: window.start + end,
                            rule: idx,
                            fingerprint: fingerprint(rule.id, &secret),
                        });
                    }
                }
            }
        }
        raw
    }
}

/// Every keyword occurrence in `text`, nested ones too (`secret` in `secretkey`), as an
/// overlapping search of the whole text yields them: in order of their end, and those that end
/// at the same byte in the order the automaton lists them.
///
/// The automaton's loop is bound by latency: each byte's step waits for the table lookup of the
/// step before. So the text is cut in two at the line break after its middle and both halves are
/// stepped in lock-step, two independent chains of lookups that the processor overlaps (about
/// 1.6x the speed of one; three or four chains gain nothing more); the rest of the longer first
/// half is stepped alone. Cutting at a line break changes nothing: no keyword holds one, so the
/// automaton is in its start state after every line break.
fn keyword_hits(keywords: &DFA, text: &[u8]) -> impl Iterator<Item = Match> {
    let half = line_end(text, text.len() / 2);
    let (front, back) = text.split_at(half);
    // `back` is no longer than `front`, which holds the middle of the text.
    let (together, alone) = front.split_at(back.len());
    let mut first = HitScan::new(keywords, 0);
    let mut second = HitScan::new(keywords, half);
    for (&a, &b) in together.iter().zip(back) {
        // Both steps before either branch, so that their lookups overlap.
        let (a, b) = (first.step(keywords, a), second.step(keywords, b));
        if keywords.is_special(a) || keywords.is_special(b) {
            first.record(keywords);
            second.record(keywords);
        }
    }
    for &a in alone {
        if keywords.is_special(first.step(keywords, a)) {
            first.record(keywords);
        }
    }
    first.hits.into_iter().chain(second.hits)
}

/// One chain of [`keyword_hits`]: the automaton stepped over a run of the text from a line start.
struct HitScan {
    /// Offset in the text of the end of the bytes stepped over.
    end: usize,
    /// The automaton's state after them.
    state: StateID,
    /// The keyword occurrences found so far, in order.
    hits: Vec<Match>,
}

impl HitScan {
    /// A chain that starts at `start`, the start of a line.
    fn new(keywords: &DFA, start: usize) -> Self {
        HitScan {
            end: start,
            state: keywords
                .start_state(Anchored::No)
                .expect("the keyword DFA has an unanchored start state"),
            hits: Vec::new(),
        }
    }

    /// Steps over the next byte; returns the new state.
    #[inline(always)]
    fn step(&mut self, keywords: &DFA, byte: u8) -> StateID {
        self.state = keywords.next_state(Anchored::No, self.state, byte);
        self.end += 1;
        self.state
    }

    /// When the state is a match, records each keyword that ends here. Called only after a step
    /// to a special state (as a match state is) of this chain or the other.
    fn record(&mut self, keywords: &DFA) {
        if !keywords.is_match(self.state) {
            return;
        }
        for i in 0..keywords.match_len(self.state) {
            let pattern = keywords.match_pattern(self.state, i);
            let start = self.end - keywords.pattern_len(pattern);
            self.hits.push(Match::new(pattern, start..self.end));
        }
    }
}

/// The line holding `text[start..end]` (which has no line break), with its trailing `\n` if any.
fn line_around(text: &str, start: usize, end: usize) -> Range<usize> {
    let line_start = memchr::memrchr(b'\n', &text.as_bytes()[..start]).map_or(0, |i| i + 1);
    line_start..line_end(text.as_bytes(), end)
}

/// Whether a match may run from `line` into the next one: the line ends (blanks aside) in `:`,
/// `>` or `=`, after which a [`Reach::NextLine`] rule's value may stand on the next line.
fn value_may_follow(line: &str) -> bool {
    matches!(line.trim_end().as_bytes().last(), Some(b':' | b'>' | b'='))
}

/// The end (after its line break) of the line that holds `text[start]`, or the end of the text.
fn line_end(text: &[u8], start: usize) -> usize {
    memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i + 1)
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let rules = rules::compile();
        let mut distinct: Vec<&'static str> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (idx, rule) in rules.iter().enumerate() {
            for &keyword in rule.keywords {
                match distinct.iter().position(|&k| k == keyword) {
                    Some(i) => keyword_rules[i].push(idx),
                    None => {
                        distinct.push(keyword);
                        keyword_rules.push(vec![idx]);
                    }
                }
            }
        }
        let keywords = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&distinct)
            .expect("built-in keyword set compiles");
        Engine {
            rules,
            keywords,
            keyword_rules,
        }
    })
}

/// A confirmed match before positions are resolved; the secret is already reduced to its hash.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct RawFinding {
    pub(super) start: usize,
    end: usize,
    rule: usize,
    fingerprint: String,
}

impl RawFinding {
    /// The finding, placed at `line` and `col`.
    pub(super) fn finding(self, line: usize, col: usize) -> Finding {
        let rule = &engine().rules[self.rule];
        Finding {
            line,
            col,
            rule_id: rule.id,
            rule_name: rule.name,
            fingerprint: self.fingerprint,
        }
    }
}

/// Resolves ascending byte offsets to 1-based (line, column in chars) in one pass.
pub(super) struct LineCursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCursor<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        LineCursor {
            text,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// `offset` must not be smaller than the previous call's.
    pub(super) fn position(&mut self, offset: usize) -> (usize, usize) {
        for (i, _) in self.text[self.pos..offset].match_indices('\n') {
            self.line += 1;
            self.line_start = self.pos + i + 1;
        }
        self.pos = offset;
        let col = self.text[self.line_start..offset].chars().count() + 1;
        (self.line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::samples::*;
    use crate::secrets::scan;

    #[test]
    fn keywords_are_lower_case_single_line_literals() {
        for spec in rules() {
            assert!(!spec.keywords.is_empty(), "{}", spec.id);
            for k in spec.keywords {
                assert_eq!(*k, k.to_ascii_lowercase(), "{}: {k}", spec.id);
                assert!(!k.contains('\n') && !k.contains('\r'), "{}: {k}", spec.id);
            }
        }
    }

    /// Every sample in several layouts: one per line, several on a line, CRLF line ends, at the
    /// very start and end of the text, and beside keywords that do not match.
    fn sample_layouts() -> Vec<String> {
        let pieces: Vec<String> = samples()
            .into_iter()
            .map(|(_, before, secret, after)| format!("{before}{secret}{after}"))
            .collect();
        let noise = "token rotation done; password policy: reviewed; the secret store is fine";
        vec![
            pieces.join("\n"),
            pieces.join(" ; "),
            pieces.join("\r\n"),
            format!("{noise}\n{}\n{noise}", pieces.join(&format!("\n{noise} "))),
            pieces
                .iter()
                .map(|p| format!("{p}{p}"))
                .collect::<Vec<_>>()
                .join("\n\n"),
        ]
    }

    /// Searching only the keyword lines finds exactly what a search of the whole text finds, for
    /// every sample in every layout of [`sample_layouts`].
    #[test]
    fn keyword_lines_find_what_the_whole_text_finds() {
        let engine = engine();
        for text in &sample_layouts() {
            let whole = vec![vec![0..text.len()]; engine.rules.len()];
            let from_lines = engine.search(text, &engine.windows(text));
            let mut from_whole = engine.search(text, &whole);
            let mut sorted_lines = from_lines;
            sorted_lines.sort_by_key(|r| (r.start, r.rule));
            from_whole.sort_by_key(|r| (r.start, r.rule));
            assert!(!from_whole.is_empty());
            assert_eq!(sorted_lines, from_whole, "layout {text:?}");
        }
    }

    /// A rule's windows are the lines that hold one of its keywords, with the next line where a
    /// value may follow, and not the lines between them; a rule whose matches run further gets
    /// the whole text, and a rule none of whose keywords occur gets nothing.
    #[test]
    fn windows_are_the_keyword_lines_of_each_rule() {
        let text = "token one\nplain\npassword:\n  value\nplain\nlast token\n-----BEGIN\n";
        let engine = engine();
        let windows = engine.windows(text);
        let of = |id: &str| &windows[engine.rules.iter().position(|r| r.id == id).unwrap()];
        let at = |line: &str| text.find(line).unwrap();
        assert_eq!(
            of("generic-secret"),
            &[
                0..at("plain"),
                at("password:")..at("plain\nlast"),
                at("last token")..at("-----"),
            ]
        );
        let whole = 0..text.len();
        assert_eq!(of("private-key").as_slice(), std::slice::from_ref(&whole));
        assert_eq!(of("jwt"), &[] as &[Range<usize>]);
    }

    /// Every keyword occurrence in `text` by the automaton's own overlapping search of the whole
    /// text, which [`Engine::windows`] ran before [`keyword_hits`]: the oracle of the tests below.
    fn overlapping_search(text: &str) -> Vec<Match> {
        engine()
            .keywords
            .try_find_overlapping_iter(aho_corasick::Input::new(text))
            .expect("an unanchored overlapping search of a standard DFA")
            .collect()
    }

    /// Asserts that the keyword occurrences [`keyword_hits`] finds in `text`, and so the windows,
    /// are those of an overlapping search of the whole text.
    fn assert_same_as_whole_text_search(text: &str) {
        let engine = engine();
        let expected = overlapping_search(text);
        let hits: Vec<Match> = keyword_hits(&engine.keywords, text.as_bytes()).collect();
        assert_eq!(hits, expected, "keyword hits in {text:?}");
        assert_eq!(
            engine.windows(text),
            engine.windows_of_hits(text, expected.into_iter()),
            "windows of {text:?}"
        );
    }

    /// Every sample in every layout of [`sample_layouts`].
    #[test]
    fn windows_are_those_of_a_whole_text_search_on_the_sample_layouts() {
        for text in sample_layouts() {
            assert_same_as_whole_text_search(&text);
        }
    }

    /// Keywords at the very start and end, on the lines around the cut between the two halves of
    /// [`keyword_hits`], on a last line without a line break, after CRLF and empty lines, in a
    /// text without a line break, and texts of one byte.
    #[test]
    fn windows_are_those_of_a_whole_text_search_at_the_edges() {
        let fixed = [
            "",
            "\n",
            "\r\n",
            "\n\n\n",
            "token",
            "password=hunter2hunter2",
            "token\n",
            "\ntoken",
            "token\nnothing here\nnothing there\nsecret",
            "nothing here\nnothing there\nnothing at all\napi_key",
            "api_key:\n  abcdefghijklmnopqrstuvwxyz012345\n",
            "api_key:\r\n  abcdefghijklmnopqrstuvwxyz012345\r\n\r\nsecret = x\r\n",
            "\n\ntoken\n\n\npassw\n\n",
            "no line break at all, but a token and a secret and a password: here",
            "no line break and no keyword at all",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
        ];
        for text in fixed {
            assert_same_as_whole_text_search(text);
        }
        // The same line twice: both halves meet their keyword at the same step.
        assert_same_as_whole_text_search("token\ntoken");
        assert_same_as_whole_text_search("password=1\r\npassword=1");
        // A long first line, so that most of the first half is stepped alone, after the end of
        // the second, and keywords at the very end of both halves.
        let long = format!(
            "token {}secret\n{}\nsecret",
            "x".repeat(100),
            "y".repeat(20)
        );
        assert_same_as_whole_text_search(&long);
        for byte in 0..128u8 {
            assert_same_as_whole_text_search(std::str::from_utf8(&[byte]).unwrap());
        }
        // A keyword line moved across the middle of the text, where the halves are cut: before
        // the cut, straddling it, right after it.
        let filler = "plain words only\n".repeat(8);
        for shift in 0..40 {
            let before = "x".repeat(shift);
            for keyword_line in ["secret=abc\n", "token:\n", "apikey\r\n", "passw"] {
                for after in ["", "tail\n", "token", "\n"] {
                    let text = format!("{filler}{before}\n{keyword_line}{filler}{after}");
                    assert_same_as_whole_text_search(&text);
                    let text = format!("{filler}{before}{keyword_line}{after}{filler}");
                    assert_same_as_whole_text_search(&text);
                }
            }
        }
    }

    /// Texts of pseudo-random lines (a seeded generator, the same every run) that mix keywords in
    /// any case, their prefixes, line ends that let a value follow, CRLF, empty lines and noise.
    #[test]
    fn windows_are_those_of_a_whole_text_search_on_random_lines() {
        let keywords: Vec<&str> = rules()
            .iter()
            .flat_map(|r| r.keywords.iter().copied())
            .collect();
        let noise = [
            " ", "  ", "a", "Z", "9", "_", "-", ".", ":", "=", ">", "\"", "é", "€", "\t", "\r",
            "\n", "\r\n", "\n\n", "value", "abcEF123", "xyzzy",
        ];
        // xorshift64*: small, deterministic, good enough to mix pieces.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % bound
        };
        let mut with_hits = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(40) {
                match next(10) {
                    0..=2 => {
                        let keyword = keywords[next(keywords.len())];
                        // A third in upper case, a third a byte short (often no keyword).
                        match next(3) {
                            0 => text.push_str(&keyword.to_ascii_uppercase()),
                            1 => text.push_str(&keyword[..keyword.len() - 1]),
                            _ => text.push_str(keyword),
                        }
                    }
                    _ => text.push_str(noise[next(noise.len())]),
                }
            }
            with_hits += usize::from(!overlapping_search(&text).is_empty());
            assert_same_as_whole_text_search(&text);
        }
        // The generator must produce texts with keywords, else the test compares empty windows.
        assert!(with_hits > 1000, "{with_hits} texts with a keyword");
    }

    /// [`scan_raw`] skips a text shorter than the shortest match of any rule, and no longer one:
    /// a legacy Slack token of 12 bytes is found alone.
    #[test]
    fn the_shortest_secret_is_found_alone() {
        let found = scan("xoxs-1-2-3-a");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule_id, "slack-legacy-token");
    }

    /// Of findings that overlap, the earlier rule's is kept; findings that only touch are both
    /// kept.
    #[test]
    fn overlapping_findings_keep_the_earlier_rule_and_touching_ones_stay() {
        let raw = |start, end, rule| RawFinding {
            start,
            end,
            rule,
            fingerprint: format!("fp:{start}"),
        };
        assert_eq!(
            drop_overlaps(vec![raw(10, 20, 0), raw(0, 10, 1)]),
            vec![raw(0, 10, 1), raw(10, 20, 0)]
        );
        assert_eq!(
            drop_overlaps(vec![raw(5, 20, 0), raw(0, 10, 1)]),
            vec![raw(5, 20, 0)]
        );
        assert_eq!(
            drop_overlaps(vec![raw(5, 20, 2), raw(0, 10, 1)]),
            vec![raw(0, 10, 1)]
        );
    }

    /// Best-of-five time to scan `text(n)` for `n` and `8 * n` repetitions, as the ratio of the
    /// larger to the smaller: about 8 when the scan is linear, about 64 when quadratic. The time
    /// is the scanning thread's CPU time ([`thread_cpu_time`]), which the other tests running
    /// beside this one do not inflate: by wall time, a short scan fits a time slice and a long
    /// one is preempted, so on a loaded machine 8x the text "took" 24-58x the time.
    fn growth(text: impl Fn(usize) -> String, n: usize, expect: impl Fn(&[Finding], usize)) -> f64 {
        let (small_text, large_text) = (text(n), text(8 * n));
        let time = |text: &str, reps: usize| {
            let start = thread_cpu_time();
            let findings = scan(text);
            let elapsed = thread_cpu_time().saturating_sub(start);
            expect(&findings, reps);
            elapsed
        };
        let (mut small, mut large) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..5 {
            small = small.min(time(&small_text, n));
            large = large.min(time(&large_text, 8 * n));
        }
        large.as_secs_f64() / small.as_secs_f64().max(1e-6)
    }

    /// CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`).
    #[cfg(unix)]
    fn thread_cpu_time() -> std::time::Duration {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid, writable timespec, and the clock id is a constant libc defines.
        let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        std::time::Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
    }

    /// Elsewhere, time since the first call: wall time, which a loaded machine inflates.
    #[cfg(not(unix))]
    fn thread_cpu_time() -> std::time::Duration {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }

    /// A long single line full of keywords (minified JSON, a one-line log export) costs one pass:
    /// looking up each keyword's line from scratch would be quadratic and hang on such a text.
    #[test]
    fn a_long_line_full_of_keywords_is_scanned_in_linear_time() {
        let ratio = growth(
            |reps| "{\"token\":\"short\",\"password_policy\":1}".repeat(reps),
            // About 0.9 MB and 7.4 MB: smaller texts fit a CPU cache that the larger one does
            // not, which alone made 8x the text take over 20x the time on a loaded machine.
            25_000,
            |findings, _| assert_eq!(findings, &[]),
        );
        assert!(ratio < 24.0, "8x the text took {ratio:.1}x the time");
    }

    /// Many private-key headers and no `-----END` (a hostile or truncated file): each header
    /// looks a bounded distance ahead, not to the end of the text.
    #[test]
    fn private_key_headers_without_an_end_are_scanned_in_linear_time() {
        let body = "MIIEowIBAAKCAQEAx3pZbLtwQ8yR2fN9sV4kJ7hTgW1eD6cX0mA5uB8oP3iY";
        let ratio = growth(
            |reps| format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n").repeat(reps),
            5_000,
            |findings, reps| assert_eq!(findings.len(), reps),
        );
        assert!(ratio < 24.0, "8x the text took {ratio:.1}x the time");
    }

    /// Rough throughput check: `cargo test --release --lib secrets -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput_on_ordinary_records() {
        let record = "Quarterly access review for the production AWS account completed by tomasz; \
                      14 users reviewed, 2 removed. Password rotation and token expiry verified \
                      against the secret management policy. Evidence: ticket SEC-4512, sha256 \
                      9f2c6a0e1b7d4c3a8e5f6b2d1c0a9e8f7d6c5b4a3e2f1d0c9b8a7e6f5d4c3b2a.";
        let start = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..100_000 {
            n += scan(record).len();
        }
        let elapsed = start.elapsed();
        eprintln!("100k records ({} bytes each): {elapsed:?}", record.len());
        assert_eq!(n, 0);
    }
}
