//! The rule table, and the checks that confirm a rule's regex candidate (entropy, placeholders,
//! the generic rule's key-name and value heuristics, the extent of a PEM block).

use std::borrow::Cow;

use regex::{CaptureMatches, Captures, Regex};

/// A detection rule: a stable id (used in fingerprints and diagnostics) and a human name.
///
/// The regex and the post-match checks are private; see the module docs for the rule set.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id, e.g. `aws-access-key-id`. Part of every fingerprint.
    pub id: &'static str,
    /// Human-readable name, e.g. "AWS access key ID".
    pub name: &'static str,
    /// Lower-case literals, at least one of which occurs in every match (the pre-filter).
    pub(super) keywords: &'static [&'static str],
    regex: Regex,
    /// Capture group holding the secret (0 when the whole match is the secret).
    group: usize,
    check: Check,
}

/// Every rule, compiled, in priority order.
pub(super) fn compile() -> Vec<Rule> {
    SPECS
        .iter()
        .map(|spec| Rule {
            id: spec.id,
            name: spec.name,
            keywords: spec.keywords,
            regex: Regex::new(spec.pattern).expect("built-in secret rule regex compiles"),
            group: spec.group,
            check: spec.check,
        })
        .collect()
}

/// How a regex candidate is confirmed.
#[derive(Debug, Clone, Copy)]
enum Check {
    /// Shannon entropy of the secret (bits per char) at least this (filters `XXXX…` fillers).
    Entropy(f64),
    /// Shannon entropy of the last `len` chars at least `min` (the random tail of a URL).
    TailEntropy { len: usize, min: f64 },
    /// PEM private key: the fingerprint covers the whole block.
    PrivateKey,
    /// The password of a URL: not a placeholder, see [`url_password_ok`].
    UrlPassword,
    /// Generic `key = value`: key-name and value heuristics, see [`generic_assignment_ok`].
    Generic,
}

/// Static description of a rule; compiled into a [`Rule`] once.
struct Spec {
    id: &'static str,
    name: &'static str,
    pattern: &'static str,
    group: usize,
    /// Lower-case literals, at least one of which occurs in every match (the pre-filter).
    keywords: &'static [&'static str],
    check: Check,
}

/// AWS access key ID: `AKIA` (long-term), `ASIA` (STS temporary), `ABIA`, `ACCA` or `A3T…` plus 16
/// upper-case alphanumerics, 20 chars in all.
///
/// Sources: gitleaks default config, rule `aws-access-token`; Yelp detect-secrets `AWSKeyDetector`
/// (`AKIA[0-9A-Z]{16}`); trufflehog `aws` detector. Unlike gitleaks, AWS's documentation example
/// key is not exempt: anything credential-shaped in an evidence pack deserves review.
const AWS_ACCESS_KEY_ID: Spec = Spec {
    id: "aws-access-key-id",
    name: "AWS access key ID",
    pattern: r"(?-u:\b)(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)",
    group: 0,
    keywords: &["akia", "asia", "abia", "acca", "a3t"],
    check: Check::Entropy(3.0),
};

/// AWS secret access key: 40 base64 chars assigned to `aws_secret_access_key`,
/// `AWS_SECRET_KEY`, `SecretAccessKey`, `secret_access_key` and similar key names.
///
/// Sources: gitleaks legacy `AWS Secret Key` rule (`aws(.{0,20})?['"][0-9a-zA-Z/+]{40}['"]`);
/// Yelp detect-secrets `AWSKeyDetector` (40-char `= value` lines); trufflehog `aws` detector.
/// Entropy of at least 4 bits/char excludes 40-char hex such as git commit hashes.
const AWS_SECRET_ACCESS_KEY: Spec = Spec {
    id: "aws-secret-access-key",
    name: "AWS secret access key",
    pattern: r#"(?i)(?:aws[a-z0-9_.-]{0,20}?secret[a-z0-9_.-]{0,20}|secret[_.-]?access[_.-]?key[a-z0-9_.-]{0,10})["']?[ \t]{0,5}(?:=|:=|=>|:)[ \t]{0,5}["'`]?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
    group: 1,
    keywords: &["secret"],
    check: Check::Entropy(4.0),
};

/// GitHub personal access token (classic), `ghp_` + 36 base62 chars.
///
/// Sources: GitHub secret scanning token formats ("Behind GitHub's new authentication token
/// formats": prefix, 30 random chars, 6-char CRC32 checksum); gitleaks rule `github-pat`.
const GITHUB_PAT: Spec = Spec {
    id: "github-pat",
    name: "GitHub personal access token",
    pattern: r"ghp_[0-9A-Za-z]{36}",
    group: 0,
    keywords: &["ghp_"],
    check: Check::Entropy(3.0),
};

/// GitHub fine-grained personal access token, `github_pat_` + 82 chars (22 + `_` + 59).
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-fine-grained-pat`.
const GITHUB_FINE_GRAINED_PAT: Spec = Spec {
    id: "github-fine-grained-pat",
    name: "GitHub fine-grained personal access token",
    pattern: r"github_pat_[0-9A-Za-z_]{82}",
    group: 0,
    keywords: &["github_pat_"],
    check: Check::Entropy(3.0),
};

/// GitHub OAuth access token, `gho_` + 36 base62 chars.
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-oauth`.
const GITHUB_OAUTH: Spec = Spec {
    id: "github-oauth",
    name: "GitHub OAuth access token",
    pattern: r"gho_[0-9A-Za-z]{36}",
    group: 0,
    keywords: &["gho_"],
    check: Check::Entropy(3.0),
};

/// GitHub App user-to-server (`ghu_`) or installation / server-to-server (`ghs_`) token.
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-app-token`.
const GITHUB_APP_TOKEN: Spec = Spec {
    id: "github-app-token",
    name: "GitHub App token",
    pattern: r"(?:ghu|ghs)_[0-9A-Za-z]{36}",
    group: 0,
    keywords: &["ghu_", "ghs_"],
    check: Check::Entropy(3.0),
};

/// GitHub App refresh token, `ghr_` + 36 (current) up to 76 (older) base62 chars.
///
/// Sources: GitHub secret scanning token formats; gitleaks rule `github-refresh-token`.
const GITHUB_REFRESH_TOKEN: Spec = Spec {
    id: "github-refresh-token",
    name: "GitHub refresh token",
    pattern: r"ghr_[0-9A-Za-z]{36,76}",
    group: 0,
    keywords: &["ghr_"],
    check: Check::Entropy(3.0),
};

/// GitLab personal access token, `glpat-` + 20 chars, or the newer routable form
/// (`glpat-` + 27..300 chars + `.` + 9 chars).
///
/// Sources: gitleaks rules `gitlab-pat` and `gitlab-pat-routable`; detect-secrets
/// `GitLabTokenDetector`.
const GITLAB_PAT: Spec = Spec {
    id: "gitlab-pat",
    name: "GitLab personal access token",
    pattern: r"glpat-[0-9A-Za-z_-]{20,300}(?:\.[0-9a-z]{9})?",
    group: 0,
    keywords: &["glpat-"],
    check: Check::Entropy(3.0),
};

/// Slack bot token, `xoxb-<team id>-<bot id>-<secret>` (current and legacy shapes).
///
/// Sources: gitleaks rules `slack-bot-token` and `slack-legacy-bot-token`; detect-secrets
/// `SlackDetector`.
const SLACK_BOT_TOKEN: Spec = Spec {
    id: "slack-bot-token",
    name: "Slack bot token",
    pattern: r"xoxb-[0-9]{8,14}-(?:[0-9]{10,13}[0-9A-Za-z-]*|[0-9A-Za-z]{18,26})",
    group: 0,
    keywords: &["xoxb-"],
    check: Check::Entropy(3.0),
};

/// Slack user token (`xoxp-`) or token-rotation token (`xoxe-`): three numeric ids + secret.
///
/// Sources: gitleaks rule `slack-user-token`; detect-secrets `SlackDetector`.
const SLACK_USER_TOKEN: Spec = Spec {
    id: "slack-user-token",
    name: "Slack user token",
    pattern: r"xox[pe](?:-[0-9]{10,13}){3}-[0-9A-Za-z-]{28,34}",
    group: 0,
    keywords: &["xoxp-", "xoxe-"],
    check: Check::Entropy(2.0),
};

/// Slack legacy workspace / app tokens (`xoxa-`, `xoxr-`) and legacy tokens (`xoxo-`, `xoxs-`).
///
/// Sources: gitleaks rules `slack-legacy-workspace-token` and `slack-legacy-token`;
/// detect-secrets `SlackDetector` (`xox[baprs]-…`).
const SLACK_LEGACY_TOKEN: Spec = Spec {
    id: "slack-legacy-token",
    name: "Slack legacy or workspace token",
    pattern: r"xox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}|xox[os]-[0-9]+-[0-9]+-[0-9]+-[0-9A-Fa-f]+",
    group: 0,
    keywords: &["xoxa-", "xoxr-", "xoxo-", "xoxs-"],
    check: Check::Entropy(2.0),
};

/// Slack incoming webhook URL, `https://hooks.slack.com/services/T…/B…/<24-char secret>` (also the
/// `workflows` and `triggers` forms). The documented `XXXXXXXX` placeholder fails the entropy check
/// on the random tail.
///
/// Sources: gitleaks rule `slack-webhook-url`; detect-secrets `SlackDetector`; trufflehog
/// `slackwebhook` detector.
const SLACK_WEBHOOK_URL: Spec = Spec {
    id: "slack-webhook-url",
    name: "Slack webhook URL",
    pattern: r"(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}",
    group: 0,
    keywords: &["hooks.slack.com"],
    check: Check::TailEntropy { len: 24, min: 3.0 },
};

/// Stripe live secret (`sk_live_`) or restricted (`rk_live_`) API key; `sk_test_` keys are not
/// reported (test mode cannot move money).
///
/// Sources: gitleaks rule `stripe-access-token` (narrowed to live/prod); detect-secrets
/// `StripeDetector` (`[rs]k_live_…`).
const STRIPE_LIVE_KEY: Spec = Spec {
    id: "stripe-live-key",
    name: "Stripe live secret or restricted key",
    pattern: r"(?-u:\b)(?:sk|rk)_(?:live|prod)_[0-9A-Za-z]{16,247}",
    group: 0,
    keywords: &["sk_live_", "rk_live_", "sk_prod_", "rk_prod_"],
    check: Check::Entropy(3.0),
};

/// Google (GCP, Maps, Firebase) API key, `AIza` + 35 chars.
///
/// Sources: gitleaks rule `gcp-api-key`; detect-secrets `GCPApiKeyDetector`; trufflehog
/// `googleapikey` detector.
const GOOGLE_API_KEY: Spec = Spec {
    id: "google-api-key",
    name: "Google API key",
    pattern: r"(?-u:\b)AIza[0-9A-Za-z_-]{35}",
    group: 0,
    keywords: &["aiza"],
    check: Check::Entropy(4.0),
};

/// OpenAI API key: project / service-account / admin keys (`sk-proj-…`, `sk-svcacct-…`,
/// `sk-admin-…`) and legacy user keys carrying the `T3BlbkFJ` marker (base64 of "OpenAI").
///
/// Sources: gitleaks rule `openai-api-key` (keyword `T3BlbkFJ`); detect-secrets `OpenAIDetector`;
/// trufflehog `openai` detector.
const OPENAI_API_KEY: Spec = Spec {
    id: "openai-api-key",
    name: "OpenAI API key",
    pattern: r"(?-u:\b)(?:sk-(?:proj|svcacct|admin)-[0-9A-Za-z_-]{40,300}|sk-[0-9A-Za-z_-]{8,200}T3BlbkFJ[0-9A-Za-z_-]{8,200})",
    group: 0,
    keywords: &["sk-proj-", "sk-svcacct-", "sk-admin-", "t3blbkfj"],
    check: Check::Entropy(3.5),
};

/// Azure storage account key: 88 base64 chars (64 bytes, `==`-padded) after `AccountKey=` in a
/// connection string, or assigned to an `azure…key` / `storage_account_key` style name.
///
/// Sources: detect-secrets `AzureStorageKeyDetector` (`AccountKey=` context, 86+ chars + `==`);
/// trufflehog `azure_storage` detector (connection-string form).
const AZURE_STORAGE_KEY: Spec = Spec {
    id: "azure-storage-account-key",
    name: "Azure storage account key",
    pattern: r#"(?i)(?:AccountKey[ \t]*=[ \t]*|(?:azure[a-z0-9_.-]{0,30}?|storage[_.-]?)(?:account[_.-]?)?(?:access[_.-]?)?key["']?[ \t]{0,5}(?:=|:=|=>|:)[ \t]{0,5}["'`]?)([A-Za-z0-9+/]{86}==)"#,
    group: 1,
    keywords: &["accountkey", "account_key", "azure", "storage"],
    check: Check::Entropy(4.0),
};

/// PEM private key block (`-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`)
/// followed by key material. A header mentioned in prose, with no base64 body, is not reported.
///
/// Sources: gitleaks rule `private-key`; detect-secrets `PrivateKeyDetector`; trufflehog
/// `privatekey` detector.
const PRIVATE_KEY: Spec = Spec {
    id: "private-key",
    name: "Private key (PEM block)",
    pattern: r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[rn])+(?:[A-Za-z0-9-]+:[^\r\n\\]*(?:\s|\\[rn])+)*[A-Za-z0-9+/=]{40,}",
    group: 0,
    keywords: &["-----begin"],
    check: Check::PrivateKey,
};

/// JSON Web Token: `eyJ…` header, `ey…` claims and a signature, base64url-encoded and dot-separated.
///
/// Sources: gitleaks rule `jwt`; detect-secrets `JwtTokenDetector`; trufflehog `jwt` detector.
const JWT: Spec = Spec {
    id: "jwt",
    name: "JSON Web Token",
    pattern: r"(?-u:\b)eyJ[0-9A-Za-z_-]{10,}\.ey[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{16,}",
    group: 0,
    keywords: &["eyj"],
    check: Check::Entropy(3.0),
};

/// A password in a URL's user information (`scheme://user:password@host`), as in database, queue
/// and Git remote URLs pasted into logs and tickets. Placeholders (`${DB_PASSWORD}`, `<password>`,
/// `password`, `****`) and passwords shorter than 6 characters are not reported.
///
/// Sources: Yelp detect-secrets `BasicAuthDetector`; trufflehog `uri` detector (URLs with
/// embedded credentials).
const URL_PASSWORD: Spec = Spec {
    id: "url-password",
    name: "Password in a URL",
    pattern: r#"(?i)(?-u:\b)[a-z][a-z0-9+.-]{1,20}://[^\s:@/?#"'<>]{1,128}:([^\s:@/?#"'<>]{6,256})@[a-z0-9\[]"#,
    group: 1,
    keywords: &["://"],
    check: Check::UrlPassword,
};

/// Generic secret assignment: `password=`, `passwd:`, `secret:`, `client_secret =`, `token:`,
/// `api_key:`, `access_key=`, `private_key:`, `credentials:` … whose value is at least 16 chars,
/// has at least 3.5 bits/char of Shannon entropy and is not an obvious placeholder (`changeme`,
/// `<redacted>`, `${VAR}`, `****`, `example`, `xxxxx`, …), a URL, a path, an ARN, an e-mail address
/// a function call or a plain identifier. Key names that describe a secret rather than hold one (`…_id`,
/// `…_name`, `…_policy`, `…_rotation_days`, `…_url`, `…_sha256`, `csrf_token`, …) are skipped.
///
/// Sources: gitleaks rule `generic-api-key` (keywords, `entropy = 3.5`, identifier allowlist);
/// detect-secrets `KeywordDetector` and `Base64HighEntropyString` (keyword + entropy approach).
const GENERIC_SECRET: Spec = Spec {
    id: "generic-secret",
    name: "Generic secret assignment (high entropy)",
    pattern: r#"(?i)(?-u:\b)([a-z0-9_.-]{0,40}?(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|credentials?)[a-z0-9_.-]{0,30})["']?[ \t]{0,5}(?:=|:=|=>|:)[ \t]{0,5}["'`]?([^\s"'`<>,;:=][^\s"'`<>,;]{15,511})"#,
    group: 2,
    keywords: &[
        "passw",
        "pwd",
        "secret",
        "token",
        "api_key",
        "api-key",
        "api.key",
        "apikey",
        "access_key",
        "access-key",
        "access.key",
        "accesskey",
        "private_key",
        "private-key",
        "private.key",
        "privatekey",
        "credential",
    ],
    check: Check::Generic,
};

/// All rules, specific formats first; the generic rule must stay last.
const SPECS: &[Spec] = &[
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    GITHUB_PAT,
    GITHUB_FINE_GRAINED_PAT,
    GITHUB_OAUTH,
    GITHUB_APP_TOKEN,
    GITHUB_REFRESH_TOKEN,
    GITLAB_PAT,
    SLACK_BOT_TOKEN,
    SLACK_USER_TOKEN,
    SLACK_LEGACY_TOKEN,
    SLACK_WEBHOOK_URL,
    STRIPE_LIVE_KEY,
    GOOGLE_API_KEY,
    OPENAI_API_KEY,
    AZURE_STORAGE_KEY,
    PRIVATE_KEY,
    JWT,
    URL_PASSWORD,
    GENERIC_SECRET,
];

/// Minimum value length (chars) and entropy (bits/char) for the generic rule.
const GENERIC_MIN_CHARS: usize = 16;
const GENERIC_MIN_ENTROPY: f64 = 3.5;

impl Rule {
    /// The regex's candidates in `text`, to be confirmed by [`Rule::confirm`].
    pub(super) fn candidates<'r, 't>(&'r self, text: &'t str) -> CaptureMatches<'r, 't> {
        self.regex.captures_iter(text)
    }

    /// Whether this is the generic assignment rule, whose findings give way to specific ones.
    pub(super) fn is_generic(&self) -> bool {
        matches!(self.check, Check::Generic)
    }

    /// Whether a match can run over several lines (only a PEM block does).
    pub(super) fn spans_lines(&self) -> bool {
        matches!(self.check, Check::PrivateKey)
    }

    /// Confirms a regex candidate. Returns the secret's byte span and the fingerprint input.
    pub(super) fn confirm<'t>(
        &self,
        text: &'t str,
        caps: &Captures<'t>,
        end_markers: &mut EndMarkers,
    ) -> Option<(usize, usize, Cow<'t, str>)> {
        let m = caps.get(self.group)?;
        let secret = m.as_str();
        match self.check {
            Check::Entropy(min) => {
                (shannon_entropy(secret) >= min).then_some((m.start(), m.end(), secret.into()))
            }
            Check::TailEntropy { len, min } => {
                let skip = secret.chars().count().saturating_sub(len);
                let tail: String = secret.chars().skip(skip).collect();
                (shannon_entropy(&tail) >= min).then_some((m.start(), m.end(), secret.into()))
            }
            Check::PrivateKey => {
                let end = pem_block_end(text, m.end(), end_markers);
                let block: String = text[m.start()..end]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                Some((m.start(), end, block.into()))
            }
            Check::UrlPassword => {
                url_password_ok(secret).then_some((m.start(), m.end(), secret.into()))
            }
            Check::Generic => {
                let key = caps.get(1)?.as_str();
                let value = trim_value(secret);
                generic_assignment_ok(key, value).then_some((
                    m.start(),
                    m.start() + value.len(),
                    value.into(),
                ))
            }
        }
    }
}

/// A URL's password is reported unless it is a placeholder or a word that only names one.
fn url_password_ok(password: &str) -> bool {
    const NAMES: &[&str] = &["password", "passwd", "secret", "pass_word", "pa55word"];
    let lower = password.to_ascii_lowercase();
    !is_placeholder(password)
        && !NAMES.contains(&lower.as_str())
        && password
            .chars()
            .collect::<std::collections::HashSet<_>>()
            .len()
            > 2
}

/// Longest PEM block body the guard looks through for the `-----END` line.
pub(super) const MAX_PEM_BLOCK: usize = 64 * 1024;

/// The `-----END` markers of one text, found for ascending positions with each byte searched
/// once: a text with many PEM headers and no `-----END` (hostile or truncated) costs one search,
/// not one search of the rest of the text per header.
#[derive(Debug, Default)]
pub(super) struct EndMarkers {
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
fn pem_block_end(text: &str, match_end: usize, end_markers: &mut EndMarkers) -> usize {
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

/// Strips punctuation that ends a sentence or a bracket around an assignment value.
fn trim_value(value: &str) -> &str {
    value.trim_end_matches(['.', ',', ')', ']', '}', '\\'])
}

/// Generic rule: is `key = value` a credential rather than a setting, reference or placeholder?
fn generic_assignment_ok(key: &str, value: &str) -> bool {
    value.chars().count() >= GENERIC_MIN_CHARS
        && !key_describes_secret(key)
        && !is_placeholder(value)
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
    ];
    let norm: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    SUFFIXES.iter().any(|s| norm.ends_with(s)) || CONTAINS.iter().any(|s| norm.contains(s))
}

/// Obvious placeholders: `changeme`, `<redacted>`, `${VAR}`, `$VAR`, `%VAR%`, `****`, `example`,
/// `xxxxx`, `your_api_key_here`, `abcdefgh…`, `12345678…`.
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
    ];
    let lower = value.to_ascii_lowercase();
    if WORDS.iter().any(|w| lower.contains(w)) {
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
    // $VAR, %VAR%, @VAR@
    if let Some(rest) = value.strip_prefix('$') {
        if is_name(rest) {
            return true;
        }
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
    // Plain identifiers (letters and separators only), as in gitleaks' generic allowlist.
    value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '.' | '-' | '/' | ':'))
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
