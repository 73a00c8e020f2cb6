//! The checks that confirm a rule's regex candidate: entropy, documented examples and
//! placeholders, the generic rule's key-name and value heuristics, URL passwords, `Basic`
//! credentials, and the extent of a PEM block.

use std::collections::HashSet;

/// Minimum value length (chars) and entropy (bits/char) for the generic rule.
const GENERIC_MIN_CHARS: usize = 16;
const GENERIC_MIN_ENTROPY: f64 = 3.5;

/// A URL's password is reported unless it is a placeholder or a word that only names one.
pub(super) fn url_password_ok(password: &str) -> bool {
    const NAMES: &[&str] = &["password", "passwd", "secret", "pass_word", "pa55word"];
    let lower = password.to_ascii_lowercase();
    !is_documentation_value(password)
        && !NAMES.contains(&lower.as_str())
        && password.chars().collect::<HashSet<_>>().len() > 2
}

/// A vendor token is reported when it looks random (at least `min_entropy` bits per char) and is
/// not a documented example or placeholder.
pub(super) fn token_ok(token: &str, min_entropy: f64) -> bool {
    shannon_entropy(token) >= min_entropy && !is_documentation_value(token)
}

/// Values that documentation publishes so that readers can copy them: AWS's `…EXAMPLE` keys
/// (`AKIAIOSFODNN7EXAMPLE` and the secret key ending `EXAMPLEKEY`), placeholders (`xxxxx`,
/// `<your-token>`, `12345678`, see [`is_placeholder`]) and the published example keys in
/// [`PUBLISHED_EXAMPLES`].
pub(super) fn is_documentation_value(value: &str) -> bool {
    is_placeholder(value) || PUBLISHED_EXAMPLES.contains(&value)
}

/// Keys that vendors publish in their documentation and SDKs as examples, which therefore sit in
/// countless runbooks and test configurations (each split in two here so that no scanner takes
/// this file for a leak):
/// - the Azurite / Azure Storage Emulator account key, from Microsoft's "Use the Azurite emulator
///   for local Azure Storage development" (also trufflehog `azure_storage`, `testKeys`);
/// - the Firebase Android SDK's example API keys, as gitleaks lists them in the allowlist of its
///   `gcp-api-key` rule (`cmd/generate/config/rules/gcp.go`, from `firebase/firebase-android-sdk`).
pub(super) const PUBLISHED_EXAMPLES: &[&str] = &[
    concat!(
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErC",
        "z4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    ),
    concat!("AIzaSy", "abcdefghijklmnopqrstuvwxyz1234567"),
    concat!("AIzaSy", "AnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs"),
    concat!("AIzaSy", "CkEhVjf3pduRDt6d1yKOMitrUEke8agEM"),
    concat!("AIzaSy", "DMAScliyLx7F0NPDEJi1QmyCgHIAODrlU"),
    concat!("AIzaSy", "D3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0"),
    concat!("AIzayD", "NSXIbFmlXbIE6mCzDLQAqITYefhixbX4A"),
    concat!("AIzaSy", "AdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c"),
    concat!("AIzaSy", "ASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4"),
    concat!("AIzaSy", "ANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY"),
    concat!("AIzaSy", "A5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM"),
    concat!("AIzaSy", "A4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ"),
    concat!("AIzaSy", "DSb51JiIcB6OJpwwMicseKRhhrOq1cS7g"),
    concat!("AIzaSy", "BF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU"),
    concat!("AIzaSy", "BcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw"),
    concat!("AIzaSy", "B8qGxt4ec15vitgn44duC5ucxaOi4FmqE"),
    concat!("AIzaSy", "A8vmApnrHNFE0bApF4hoZ11srVL_n0nvY"),
];

/// An `Authorization` header's credentials (after `scheme`) or a credential header's value
/// (`name` is the header's name): `Basic` credentials when their password is a real one (see
/// [`basic_auth_ok`]); anything else when it is a token of at least 16 chars that looks random
/// and is not a placeholder, in a header that is not an anti-forgery token (`X-CSRF-Token`).
pub(super) fn header_ok(
    scheme: Option<&str>,
    name: Option<&str>,
    value: &str,
    after_value: &str,
) -> bool {
    if runs_into_template(after_value) {
        return false;
    }
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("basic")) {
        if let Some(ok) = basic_auth_ok(value) {
            return ok;
        }
    }
    value.len() >= 16 && token_ok(value, 3.0) && !name.is_some_and(key_describes_secret)
}

/// `Basic` credentials (base64 of `user:password`, RFC 7617): whether the password is a real
/// one, as for a password in a URL ([`url_password_ok`]); `None` when the value does not decode
/// to `user:password`.
fn basic_auth_ok(value: &str) -> Option<bool> {
    use ct_codecs::{Base64, Base64NoPadding, Decoder};
    let bytes = Base64::decode_to_vec(value, None)
        .or_else(|_| Base64NoPadding::decode_to_vec(value, None))
        .ok()?;
    let (_, password) = std::str::from_utf8(&bytes).ok()?.split_once(':')?;
    Some(password.chars().count() >= 6 && url_password_ok(password))
}

/// Longest PEM block body the guard looks through for the `-----END` line.
pub(in crate::secrets) const MAX_PEM_BLOCK: usize = 64 * 1024;

/// The `-----END` markers of one text, found for ascending positions with each byte searched
/// once: a text with many PEM headers and no `-----END` (hostile or truncated) costs one search,
/// not one search of the rest of the text per header.
#[derive(Debug, Default)]
pub(in crate::secrets) struct EndMarkers {
    /// The first marker at or after `from`, once searched.
    searched: Option<(usize, Option<usize>)>,
}

impl EndMarkers {
    /// Offset of the first `-----END` at or after `pos` in `text`; `pos` must not go down.
    fn after(&mut self, text: &str, pos: usize) -> Option<usize> {
        match self.searched {
            Some((from, next)) if from <= pos && next.is_none_or(|n| n >= pos) => next,
            _ => {
                let next = text[pos..].find("-----END").map(|i| pos + i);
                self.searched = Some((pos, next));
                next
            }
        }
    }
}

/// End of a PEM block: just past the `-----` that closes its `-----END …` line when that line
/// starts within [`MAX_PEM_BLOCK`] bytes of the match, else the end of the regex match.
pub(super) fn pem_block_end(text: &str, match_end: usize, end_markers: &mut EndMarkers) -> usize {
    const END: &[u8] = b"-----END";
    let Some(marker) = end_markers.after(text, match_end) else {
        return match_end;
    };
    let end_marker = marker - match_end;
    if end_marker > MAX_PEM_BLOCK {
        return match_end;
    }
    let rest = &text.as_bytes()[match_end..];
    let after_marker = end_marker + END.len();
    let tail = &rest[after_marker..rest.len().min(after_marker + 105)];
    match tail.windows(5).position(|w| w == b"-----") {
        Some(close) if close <= 100 => match_end + after_marker + close + "-----".len(),
        _ => match_end,
    }
}

/// Generic rule: does the assignment around the value stand as written? An operator `>` makes an
/// XML element only when the key opens a start tag (`before_key` ends with `<`) and the value is
/// the element's body, followed by the end tag (`<apiToken>…</apiToken>`) or alone on the next
/// line: `<password>@host` in a URL, or `token > 5`, is not one. A value that runs on into a
/// template (`pypi-…<your-token>`) is a placeholder.
pub(super) fn assignment_ok(before_key: &str, operator: &str, after_value: &str) -> bool {
    let op = operator.trim_start_matches(['"', '\'', '`', '\\', ' ', '\t']);
    let element = !op.starts_with('>')
        || (before_key.ends_with('<') && (op.contains('\n') || after_value.starts_with("</")));
    element && !runs_into_template(after_value)
}

/// Whether a value is the start of a template rather than a whole value: followed by `<your-…>`
/// (not an end tag), `${VAR}`, `$VAR`, `{{ var }}` or `$(command)`.
fn runs_into_template(after_value: &str) -> bool {
    (after_value.starts_with('<') && !after_value.starts_with("</"))
        || after_value.starts_with('$')
        || after_value.starts_with("{{")
}

/// Strips punctuation that ends a sentence or a bracket around an assignment value.
pub(super) fn trim_value(value: &str) -> &str {
    value.trim_end_matches(['.', ',', ')', ']', '}', '\\'])
}

/// Generic rule: is `key = value` a credential rather than a setting, reference or placeholder?
pub(super) fn generic_assignment_ok(key: &str, value: &str) -> bool {
    value.chars().count() >= GENERIC_MIN_CHARS
        && !key_describes_secret(key)
        && !is_documentation_value(value)
        && !is_reference_or_identifier(value)
        && shannon_entropy(value) >= GENERIC_MIN_ENTROPY
}

/// Key names that talk about a secret (its id, name, policy, location, hash …) without holding it.
fn key_describes_secret(key: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "id",
        "ids",
        "name",
        "names",
        "type",
        "kind",
        "length",
        "len",
        "size",
        "ttl",
        "age",
        "expiry",
        "expires",
        "expiresat",
        "expiration",
        "days",
        "hours",
        "interval",
        "period",
        "url",
        "uri",
        "urls",
        "endpoint",
        "host",
        "path",
        "file",
        "filename",
        "dir",
        "ref",
        "hash",
        "hashed",
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "digest",
        "checksum",
        "fingerprint",
        "version",
        "count",
        "enabled",
        "required",
        "format",
        "header",
        "prefix",
        "arn",
        "owner",
        "email",
        "contact",
        "store",
        "provider",
        "manager",
        "engine",
        "backend",
        "mount",
        "location",
        "description",
        "desc",
        "label",
        "method",
        "mode",
        "scope",
        "scopes",
        "audience",
        "issuer",
        "algorithm",
        "alg",
        "source",
        "field",
        "env",
        "var",
        "template",
        "pattern",
        "regex",
        "min",
        "max",
        "complexity",
        "history",
        "hint",
        "status",
        "date",
        "time",
        "timestamp",
    ];
    const CONTAINS: &[&str] = &[
        "public",
        "csrf",
        "xsrf",
        "pagetoken",
        "nexttoken",
        "continuation",
        "cursor",
        "tokeniz",
        "policy",
        "rotation",
        "example",
        "placeholder",
        // An Azure Key Vault (its name, or where a secret is stored), not a secret.
        "keyvault",
    ];
    let norm: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    SUFFIXES.iter().any(|s| norm.ends_with(s)) || CONTAINS.iter().any(|s| norm.contains(s))
}

/// Obvious placeholders: `changeme`, `<redacted>`, `${VAR}`, `$VAR`, `%VAR%`, `****`, `example`,
/// `xxxxx`, `your_api_key_here`, `abcdefgh…`, `12345678…`, `00000000`; and Stripe's test-mode
/// (`sk_test_…`) and publishable (`pk_live_…`) keys.
fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "changeit",
        "example",
        "redacted",
        "placeholder",
        "dummy",
        "sample",
        "replaceme",
        "replace_me",
        "replace-me",
        "your_",
        "your-",
        "yourkey",
        "yoursecret",
        "yourtoken",
        "yourpassword",
        "notreal",
        "not_real",
        "not-real",
        "not_a_real",
        "xxxxx",
        "***",
        "...",
        "${",
        "{{",
        "}}",
        "$(",
        "<",
        ">",
        "abcdefgh",
        "12345678",
        // Stripe's test-mode keys (they cannot move money) and publishable keys (public).
        "sk_test_",
        "rk_test_",
        "pk_test_",
        "pk_live_",
    ];
    let lower = value.to_ascii_lowercase();
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // A filler: one char eight times in a row (`00000000`, `XXXXXXXX`).
    let bytes = value.as_bytes();
    if bytes.windows(8).any(|w| w.iter().all(|&b| b == w[0])) {
        return true;
    }
    let is_name =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    // {var} template fields
    if let Some(inner) = value
        .strip_prefix('{')
        .and_then(|v| v.split_once('}'))
        .map(|(inner, _)| inner)
    {
        if is_name(inner) {
            return true;
        }
    }
    // $VAR (also followed by more text: `$TOKEN&retry=1`), %VAR%, @VAR@
    if value
        .strip_prefix('$')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
    {
        return true;
    }
    for delim in ['%', '@'] {
        if let Some(inner) = value
            .strip_prefix(delim)
            .and_then(|v| v.strip_suffix(delim))
        {
            if is_name(inner) {
                return true;
            }
        }
    }
    false
}

/// URLs, paths, secret-manager references, ARNs, e-mail addresses, dates and plain identifiers.
fn is_reference_or_identifier(value: &str) -> bool {
    const SCHEMES: &[&str] = &[
        "vault:",
        "env:",
        "arn:",
        "ssm:",
        "secretsmanager:",
        "awssm:",
        "gcpsm:",
        "azkv:",
        "keyvault:",
        "kms:",
        "file:",
        "k8s:",
        "ref:",
        "op:",
        "sops:",
        "secret:",
        "secrets:",
    ];
    let lower = value.to_ascii_lowercase();
    if lower.contains("://") || SCHEMES.iter().any(|s| lower.starts_with(s)) {
        return true;
    }
    if ["/", "./", "../", "~/"]
        .iter()
        .any(|p| value.starts_with(p))
    {
        return true;
    }
    let bytes = value.as_bytes();
    // Windows path: C:\…
    if bytes.len() > 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'\\' {
        return true;
    }
    // ISO date or timestamp: 2026-03-04…
    if bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
    {
        return true;
    }
    if looks_like_email(value) {
        return true;
    }
    // Code: a call such as `get_token(env)` or `vault.read(path)`.
    if let Some((callee, _)) = value.split_once('(') {
        if callee.len() >= 3
            && callee
                .chars()
                .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '.' | ':'))
        {
            return true;
        }
    }
    // Identifiers: letters and separators that read as words, as in gitleaks' generic allowlist
    // (which passes over every value without a digit; random letters are a secret here).
    value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '.' | '-' | '/' | ':'))
        && reads_as_words(value)
}

/// Whether `value` reads as words (`SecretsManagerRotationLambdaArn`,
/// `fetch_token_from_environment`) rather than as random letters (`xKqPzRtLmNvBwYcJ`): at least
/// six in ten of the letter pairs within its words (cut at non-letters and where the case
/// changes: `HTTPServer` is `HTTP` and `Server`) are pairs common in English. Random letters
/// score about three in ten, identifiers seven or more.
fn reads_as_words(value: &str) -> bool {
    let (mut pairs, mut common) = (0, 0);
    for piece in letter_pieces(value) {
        for pair in piece.as_bytes().windows(2) {
            pairs += 1;
            common += usize::from(is_common_pair(pair[0], pair[1]));
        }
    }
    pairs > 0 && common * 10 >= pairs * 6
}

/// The letter pairs that make up nine tenths of the pairs in English prose (counted in the words
/// of three or more letters of this project's documentation and the framework texts it cites).
const COMMON_PAIRS: &str = concat!(
    "ab ac ad ag ai al am an ap ar as at au aw be bl ca cc ce ch ci ck cl co ",
    "cr ct cu cy da de di ea ec ed eg el em en ep er es et ev ew ex fi fo fr ",
    "fu ga ge go gr ha he hi ho ia ic id ie if ig il in io ir is it iv iz ke ",
    "la ld le li ll lo ls ly ma me mi mo mp na nc nd ne nf ng ni nn no ns nt ",
    "oc od ol om on op or os ot ou ov ow pa pe pl po pp pr ra rd re rg ri rm ",
    "ro rs rt ry sa se sh si sk so sp ss st su ta te th ti tl to tr ts ty ud ",
    "ui ul un up ur us ut va ve vi wi wn xt ys za ",
);

/// Whether two letters, in either case, are a pair of [`COMMON_PAIRS`].
fn is_common_pair(a: u8, b: u8) -> bool {
    let pair = [a.to_ascii_lowercase(), b.to_ascii_lowercase()];
    COMMON_PAIRS.as_bytes().chunks(3).any(|c| c[..2] == pair)
}

/// The runs of letters of `value`, cut where the case changes from lower to upper, and before
/// the last capital of a run of capitals followed by a lower-case letter.
fn letter_pieces(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut pieces = Vec::new();
    let mut start = None;
    for i in 0..=bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b' ');
        let cut = match start {
            Some(s) if b.is_ascii_alphabetic() && i > s => {
                let prev = bytes[i - 1];
                let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                (prev.is_ascii_lowercase() && b.is_ascii_uppercase())
                    || (prev.is_ascii_uppercase() && b.is_ascii_uppercase() && next_lower)
            }
            _ => !b.is_ascii_alphabetic(),
        };
        if cut {
            if let Some(s) = start.take() {
                pieces.push(&value[s..i]);
            }
        }
        if b.is_ascii_alphabetic() && start.is_none() {
            start = Some(i);
        }
    }
    pieces
}

fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'))
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// Shannon entropy in bits per char.
fn shannon_entropy(s: &str) -> f64 {
    let mut ascii = [0u32; 128];
    let mut other: Vec<(char, u32)> = Vec::new();
    let mut total = 0u32;
    for c in s.chars() {
        total += 1;
        if c.is_ascii() {
            ascii[c as usize] += 1;
        } else if let Some(entry) = other.iter_mut().find(|(k, _)| *k == c) {
            entry.1 += 1;
        } else {
            other.push((c, 1));
        }
    }
    if total == 0 {
        return 0.0;
    }
    let n = f64::from(total);
    ascii
        .iter()
        .copied()
        .chain(other.iter().map(|&(_, count)| count))
        .filter(|&count| count > 0)
        .map(|count| {
            let p = f64::from(count) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!((shannon_entropy("äöüß") - 2.0).abs() < 1e-9);
    }
}
