//! The search: one Aho-Corasick pass over every rule's keywords finds the lines a rule's regex
//! must look at, each rule's regex runs on those lines only, and its candidates are confirmed by
//! the rule's check ([`Rule::confirm`]).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::rules::{self, EndMarkers, Rule};
use super::{fingerprint, Finding};

/// The built-in rules, in priority order.
pub(super) fn rules() -> &'static [Rule] {
    &engine().rules
}

/// The confirmed matches in `text`, in order of position, generic duplicates removed.
pub(super) fn scan_raw(text: &str) -> Vec<RawFinding> {
    // The shortest possible match of any rule (a legacy Slack token) is 12 bytes.
    if text.len() < 12 {
        return Vec::new();
    }
    let engine = engine();
    let mut raw = engine.search(text, &engine.windows(text));

    // A generic assignment that overlaps a specific finding is the same secret seen twice.
    let specific: Vec<(usize, usize)> = raw
        .iter()
        .filter(|r| !r.generic)
        .map(|r| (r.start, r.end))
        .collect();
    raw.retain(|r| !r.generic || !specific.iter().any(|&(s, e)| r.start < e && s < r.end));
    raw.sort_by_key(|r| (r.start, r.rule));
    raw
}

/// The compiled rules and the keyword automaton in front of them.
struct Engine {
    rules: Vec<Rule>,
    /// Every rule's keywords, each distinct keyword once, ASCII case-insensitive.
    keywords: AhoCorasick,
    /// For keyword pattern `i`, the indexes of the rules that list it.
    keyword_rules: Vec<Vec<usize>>,
}

impl Engine {
    /// For each rule, the parts of `text` its regex must search: the whole lines (with their line
    /// break) that hold one of its keywords, merged where they touch, or the whole text for a rule
    /// whose matches span lines. Empty for a rule none of whose keywords occur.
    ///
    /// Searching whole lines finds exactly what a search of the whole text finds: a single-line
    /// match contains its keyword, so it lies on a keyword's line, and cutting at line starts
    /// keeps every `\b` and `$` decision the same.
    fn windows(&self, text: &str) -> Vec<Vec<Range<usize>>> {
        let mut windows: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.rules.len()];
        // Every keyword occurrence: a leftmost search resumed one byte after each hit's start
        // (no keyword is a prefix of another, so at most one starts at a byte; a leftmost search
        // can use the automaton's prefilter, an overlapping one cannot).
        let mut from = 0;
        let mut line = 0..0;
        while let Some(hit) = self.keywords.find(Input::new(text).span(from..text.len())) {
            from = hit.start() + 1;
            // Hits ascend, so a hit before the end of the current line is on it.
            if hit.start() >= line.end {
                line = line_around(text, hit.start(), hit.end());
            }
            for &idx in &self.keyword_rules[hit.pattern().as_usize()] {
                let rule_windows = &mut windows[idx];
                if self.rules[idx].spans_lines() {
                    if rule_windows.is_empty() {
                        rule_windows.push(0..text.len());
                    }
                    continue;
                }
                // Hits come in order of their start, so lines ascend.
                match rule_windows.last_mut() {
                    Some(last) if last.end >= line.start => last.end = last.end.max(line.end),
                    _ => rule_windows.push(line.clone()),
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
                            generic: rule.is_generic(),
                            fingerprint: fingerprint(rule.id, &secret),
                        });
                    }
                }
            }
        }
        raw
    }
}

/// The line holding `text[start..end]` (which has no line break), with its trailing `\n` if any.
fn line_around(text: &str, start: usize, end: usize) -> Range<usize> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    line_start..line_end
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
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
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
    generic: bool,
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
        let all: Vec<&str> = rules()
            .iter()
            .flat_map(|s| s.keywords.iter().copied())
            .collect();
        for a in &all {
            for b in &all {
                assert!(
                    a == b || !b.starts_with(a),
                    "keyword {a:?} is a prefix of {b:?}"
                );
            }
        }
        for spec in rules() {
            assert!(!spec.keywords.is_empty(), "{}", spec.id);
            for k in spec.keywords {
                assert_eq!(*k, k.to_ascii_lowercase(), "{}: {k}", spec.id);
                assert!(!k.contains('\n') && !k.contains('\r'), "{}: {k}", spec.id);
            }
        }
    }

    /// Searching only the keyword lines finds exactly what a search of the whole text finds, for
    /// every sample in several layouts: one per line, several on a line, CRLF line ends, at the
    /// very start and end of the text, and beside keywords that do not match.
    #[test]
    fn keyword_lines_find_what_the_whole_text_finds() {
        let engine = engine();
        let pieces: Vec<String> = samples()
            .into_iter()
            .map(|(_, before, secret, after)| format!("{before}{secret}{after}"))
            .collect();
        let noise = "token rotation done; password policy: reviewed; the secret store is fine";
        let layouts = [
            pieces.join("\n"),
            pieces.join(" ; "),
            pieces.join("\r\n"),
            format!("{noise}\n{}\n{noise}", pieces.join(&format!("\n{noise} "))),
            pieces
                .iter()
                .map(|p| format!("{p}{p}"))
                .collect::<Vec<_>>()
                .join("\n\n"),
        ];
        for text in &layouts {
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

    /// A long single line full of keywords (minified JSON, a one-line log export) costs one pass:
    /// looking up each keyword's line from scratch would be quadratic and hang on such a text.
    #[test]
    fn a_long_line_full_of_keywords_is_scanned_in_linear_time() {
        let text = "{\"token\":\"short\",\"password_policy\":1}".repeat(100_000);
        let start = std::time::Instant::now();
        assert_eq!(scan(&text), Vec::<Finding>::new());
        let elapsed = start.elapsed();
        assert!(
            elapsed.as_secs() < 5,
            "{} bytes took {elapsed:?}",
            text.len()
        );
    }

    /// Many private-key headers and no `-----END` (a hostile or truncated file): each header
    /// looks a bounded distance ahead, not to the end of the text.
    #[test]
    fn private_key_headers_without_an_end_are_scanned_in_linear_time() {
        let body = "MIIEowIBAAKCAQEAx3pZbLtwQ8yR2fN9sV4kJ7hTgW1eD6cX0mA5uB8oP3iY";
        let text = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n").repeat(40_000);
        let start = std::time::Instant::now();
        let findings = scan(&text);
        let elapsed = start.elapsed();
        assert_eq!(findings.len(), 40_000);
        assert!(
            elapsed.as_secs() < 5,
            "{} bytes took {elapsed:?}",
            text.len()
        );
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
