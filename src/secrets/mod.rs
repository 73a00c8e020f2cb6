//! Secret-leak guard.
//!
//! Before anything is written, every text field, Markdown body and text attachment of a pack is
//! passed to [`scan`]. A [`Finding`] fails the build; it carries the 1-based line and column of the
//! start of the secret, the rule that fired and a [`fingerprint`], and never the secret itself, so
//! neither diagnostics nor logs can leak what they report. A reviewed false positive is allowed by
//! listing its fingerprint in `pack.yaml` (`secrets: { allow: ["fp:…"] }`).
//!
//! The rules ([`rules()`]) are a curated, high-precision set: vendor token formats first (cloud
//! platforms, code hosting and package registries, SaaS, secret managers, AI platforms), recognised
//! by their documented shape wherever they stand; then key material (PEM private keys, a GCP
//! service account's key, JWTs), secrets known by their key name (AWS secret keys, Azure storage
//! keys), passwords in URLs, credential headers, and one generic rule for `password=` /
//! `secret:` / `token=` / `api_key:` assignments whose value is long, high-entropy and not an
//! obvious placeholder. Documented examples and placeholders are never findings. Each rule's doc
//! comment names the public rule sets and vendor documentation it follows. Of overlapping
//! findings only the most specific rule's is reported.
//!
//! The guard is four ideas, one module each:
//! - this facade: [`scan`], [`Finding`], [`fingerprint`];
//! - `rules`: the rule table, one file per family of credentials, and the checks that confirm a
//!   rule's regex match;
//! - `engine`: the keyword pass and the per-line regex search. One Aho-Corasick automaton over
//!   every rule's literal keywords (ASCII case-insensitive) is run first, and a rule's regex only
//!   runs on the lines that hold one of its keywords (a match starts on the line of a keyword it
//!   holds and runs at most to the next line, but for the PEM block), so ordinary prose and large
//!   logs cost one pass of the automaton. Every line is looked up once, however many keywords it
//!   holds, so the cost stays linear in the text; a rule's regex is compiled when one of its
//!   keywords first occurs;
//! - `stream`: files scanned as they are read ([`FileScanner`], [`StreamScanner`]): whole, in
//!   windows of a few MiB that overlap by more than a PEM block, so memory stays bounded and a
//!   secret at the end of a 1 GB log is found where a whole-text [`scan`] would find it.

use std::fmt;

use sha2::{Digest, Sha256};

mod engine;
mod rules;
#[cfg(test)]
mod samples;
mod stream;
#[cfg(test)]
mod tests;

pub use rules::Rule;
pub use stream::{looks_like_text, scan_file, FileScanner, StreamScanner};

/// One credential found in a text. Holds where it is and what it looks like, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line of the start of the secret.
    pub line: usize,
    /// 1-based column of the start of the secret, counted in chars.
    pub col: usize,
    /// Id of the rule that fired.
    pub rule_id: &'static str,
    /// Human-readable name of the rule that fired.
    pub rule_name: &'static str,
    /// `fp:` + 16 hex chars; see [`fingerprint`].
    pub fingerprint: String,
}

impl fmt::Display for Finding {
    /// `line:col: rule name (rule-id) fp:…`, so a caller can print `{path}:{finding}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} ({}) {}",
            self.line, self.col, self.rule_name, self.rule_id, self.fingerprint
        )
    }
}

/// The built-in rules, in priority order: vendor tokens, key material, named secrets, then
/// passwords in URLs, credential headers and the generic assignment rule.
pub fn rules() -> &'static [Rule] {
    engine::rules()
}

/// Scan a text; findings in order of position. Never stores or returns the matched secret text.
///
/// When findings overlap, only the one of the rule that comes first in [`rules()`] is reported: a
/// vendor token before the header, URL or assignment it stands in (`token: ghp_…` is one
/// `github-pat` finding).
pub fn scan(text: &str) -> Vec<Finding> {
    let mut cursor = engine::LineCursor::new(text);
    engine::scan_raw(text)
        .into_iter()
        .map(|r| {
            let (line, col) = cursor.position(r.start);
            r.finding(line, col)
        })
        .collect()
}

/// Fingerprint: "fp:" + first 16 hex chars of SHA-256 over `"<rule id>:<secret>"`; stable when the
/// secret moves inside a file, so a reviewed false positive can be allowed in pack.yaml
/// (`secrets: { allow: ["fp:…"] }`).
///
/// For a PEM private key the secret is the whole block from `-----BEGIN` to the closing `-----`
/// with all whitespace removed, so re-wrapping or CRLF line ends do not change it.
pub fn fingerprint(rule_id: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update(b":");
    hasher.update(secret.as_bytes());
    let digest = hasher.finalize();
    let mut out = String::with_capacity(19);
    out.push_str("fp:");
    for byte in &digest[..8] {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";
