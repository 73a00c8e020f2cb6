//! The rule table: one file per family of credentials (`cloud`, `code`, `saas`, `infra`, `ai`,
//! and `generic` for the formats that are not a vendor's), in priority order, and the checks that
//! confirm a rule's regex candidate (`checks`).
//!
//! Every rule names in its doc comment the public rule set or vendor documentation it follows:
//! the gitleaks default configuration (`config/gitleaks.toml`, generated from
//! `cmd/generate/config/rules/*.go`), trufflehog detectors (`pkg/detectors/*`), Yelp
//! detect-secrets plugins (`detect_secrets/plugins/*.py`), GitHub's secret scanning token formats
//! and the vendors' own pages on their token formats.
//!
//! A vendor token is matched wherever it stands on a line (an assignment, log text, a header, a
//! URL, a JSON value), bounded so that it is not the prefix of a longer run of the same alphabet.
//! Rules that need a key name (an AWS secret key, an Azure storage key, a Datadog key, the
//! generic rule) share one assignment grammar ([`assign!`]).

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::{CaptureMatches, Captures, Regex};

mod ai;
mod checks;
mod cloud;
mod code;
mod generic;
mod infra;
mod saas;

pub(super) use checks::{EndMarkers, MAX_PEM_BLOCK};

/// A detection rule: a stable id (used in fingerprints and diagnostics) and a human name.
///
/// The regex and the post-match checks are private; see the module docs for the rule set.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id, e.g. `aws-access-key-id`. Part of every fingerprint.
    pub id: &'static str,
    /// Human-readable name, e.g. "AWS access key ID".
    pub name: &'static str,
    /// Lower-case literals, at least one of which occurs in every match, on the line where the
    /// match starts (the pre-filter).
    pub(super) keywords: &'static [&'static str],
    /// How far past its keyword's line a match may run.
    pub(super) reach: Reach,
    pattern: &'static str,
    /// Compiled on first use: a rule whose keywords never occur costs nothing.
    regex: OnceLock<Regex>,
    /// First capture group that may hold the secret (0 when the whole match is the secret); the
    /// first group from there on that took part in the match holds it.
    group: usize,
    check: Check,
}

/// Every rule, compiled, in priority order: when two findings overlap, the one of the earlier
/// rule is kept (a vendor token before the URL, header or assignment it stands in).
pub(super) fn compile() -> Vec<Rule> {
    SPECS
        .iter()
        .map(|spec| Rule {
            id: spec.id,
            name: spec.name,
            keywords: spec.keywords,
            reach: spec.reach,
            pattern: spec.pattern,
            regex: OnceLock::new(),
            group: spec.group,
            check: spec.check,
        })
        .collect()
}

/// All rules, in priority order; the generic rule must stay last.
const SPECS: &[Spec] = &[
    // Vendor tokens: a distinctive prefix or shape.
    cloud::AWS_ACCESS_KEY_ID,
    cloud::GOOGLE_API_KEY,
    cloud::AZURE_AD_CLIENT_SECRET,
    cloud::DIGITALOCEAN_TOKEN,
    cloud::HEROKU_API_KEY,
    cloud::DATABRICKS_TOKEN,
    code::GITHUB_PAT,
    code::GITHUB_FINE_GRAINED_PAT,
    code::GITHUB_OAUTH,
    code::GITHUB_APP_TOKEN,
    code::GITHUB_REFRESH_TOKEN,
    code::GITLAB_PAT,
    code::ATLASSIAN_API_TOKEN,
    code::NPM_TOKEN,
    code::PYPI_TOKEN,
    code::POSTMAN_API_KEY,
    saas::SLACK_BOT_TOKEN,
    saas::SLACK_USER_TOKEN,
    saas::SLACK_LEGACY_TOKEN,
    saas::SLACK_WEBHOOK_URL,
    saas::STRIPE_LIVE_KEY,
    saas::SENDGRID_API_KEY,
    saas::TWILIO_API_KEY,
    saas::SHOPIFY_TOKEN,
    saas::LINEAR_API_KEY,
    saas::GRAFANA_CLOUD_TOKEN,
    saas::GRAFANA_SERVICE_ACCOUNT_TOKEN,
    saas::GRAFANA_API_KEY,
    saas::DATADOG_KEY,
    infra::VAULT_SERVICE_TOKEN,
    infra::VAULT_BATCH_TOKEN,
    infra::TERRAFORM_CLOUD_TOKEN,
    infra::DOPPLER_TOKEN,
    ai::OPENAI_API_KEY,
    ai::ANTHROPIC_API_KEY,
    ai::HUGGING_FACE_TOKEN,
    // Key material in a standard container.
    cloud::GCP_SERVICE_ACCOUNT_KEY,
    generic::PRIVATE_KEY,
    generic::JWT,
    // A secret known by the name it is assigned to.
    cloud::AWS_SECRET_ACCESS_KEY,
    cloud::AZURE_STORAGE_KEY,
    // A secret known by where it stands.
    generic::URL_PASSWORD,
    generic::AUTH_HEADER,
    generic::GENERIC_SECRET,
];

/// Static description of a rule; compiled into a [`Rule`] once.
struct Spec {
    id: &'static str,
    name: &'static str,
    pattern: &'static str,
    group: usize,
    /// Lower-case literals, at least one of which occurs in every match on its first line.
    keywords: &'static [&'static str],
    check: Check,
    reach: Reach,
}

/// How far a match may run past the line that holds its keyword (where it starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// The match lies on one line.
    Line,
    /// The value may stand on the next line when the line ends in `:`, `>` or `=` (`<apiToken>` /
    /// value / `</apiToken>`, `key:` then an indented value).
    NextLine,
    /// Anywhere in the text (a PEM block, whose `-----END` line is searched separately).
    Text,
}

/// How a regex candidate is confirmed.
#[derive(Debug, Clone, Copy)]
enum Check {
    /// A token: Shannon entropy at least this many bits per char (filters `XXXX…` fillers), and not
    /// a documented example or placeholder ([`checks::is_documentation_value`]).
    Token(f64),
    /// As [`Check::Token`], on the last `len` chars only (the random tail of a URL).
    TailToken { len: usize, min: f64 },
    /// PEM private key: the fingerprint covers the whole block.
    PrivateKey,
    /// The password of a URL: not a placeholder, see [`checks::url_password_ok`].
    UrlPassword,
    /// An `Authorization` or credential header: groups 1 and 2 are the scheme and the value, or
    /// 3 and 4 the header's name and the value; see [`checks::header_ok`].
    Header,
    /// Generic `key = value` (key in group 1, value in group 2): key-name and value heuristics,
    /// see [`checks::generic_assignment_ok`].
    Generic,
}

/// The syntax between a key name and its value, shared by every rule that needs the name
/// (`(?i)` and the key come before it, the value's group after): an optional closing quote (or
/// escaped quote), a C array `[]`, a type (Go's `string`, or `: String` / `: &str` …), then an
/// operator: `=`, `:=`, `::=`, `:::=`, `?=`, `.=`, `+=`, `=>`, `:`, `>` (an XML element) with an
/// optional quote or Objective-C `@"`; a comparison (`==`, `!=`), a call argument (`("…"`) or a
/// comma (`setProperty("KEY", "…")`) only with a quoted value; or `:` / `>` at the end of the line
/// with the value on the next one.
macro_rules! assign {
    () => {
        r#"(?:\[\])?\\?["'`]?(?:[ \t]+string|[ \t]*:[ \t]*&?(?:'static[ \t]+)?(?:str|string|nsstring|charsequence)\??)?[ \t]{0,5}(?:(?:={2,3}|!==?|,|\()[ \t]{0,5}@?\\?["'`]|(?::{1,3}=|\?=|\.=|\+=|=>|=|:|>)[ \t]{0,5}(?:@?\\?["'`])?|(?:>|:)[ \t]*\r?\n[ \t]*\\?["'`]?)"#
    };
}
use assign;

impl Rule {
    /// The regex's candidates in `text`, to be confirmed by [`Rule::confirm`].
    pub(super) fn candidates<'r, 't>(&'r self, text: &'t str) -> CaptureMatches<'r, 't> {
        self.regex
            .get_or_init(|| Regex::new(self.pattern).expect("built-in secret rule regex compiles"))
            .captures_iter(text)
    }

    /// Confirms a regex candidate. Returns the secret's byte span and the fingerprint input.
    pub(super) fn confirm<'t>(
        &self,
        text: &'t str,
        caps: &Captures<'t>,
        end_markers: &mut EndMarkers,
    ) -> Option<(usize, usize, Cow<'t, str>)> {
        let m = match self.check {
            // The value follows the scheme (group 2) or the header's name (group 4).
            Check::Header => caps.get(2).or_else(|| caps.get(4))?,
            _ => (self.group..caps.len()).find_map(|i| caps.get(i))?,
        };
        let secret = m.as_str();
        let whole = || Some((m.start(), m.end(), Cow::from(secret)));
        match self.check {
            Check::Token(min) => checks::token_ok(secret, min).then(whole)?,
            Check::TailToken { len, min } => {
                let skip = secret.chars().count().saturating_sub(len);
                let tail: String = secret.chars().skip(skip).collect();
                (checks::token_ok(&tail, min) && !checks::is_documentation_value(secret))
                    .then(whole)?
            }
            Check::PrivateKey => {
                let end = checks::pem_block_end(text, m.end(), end_markers);
                let block: String = text[m.start()..end]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                Some((m.start(), end, block.into()))
            }
            Check::UrlPassword => checks::url_password_ok(secret).then(whole)?,
            Check::Header => {
                let (scheme, name) = (caps.get(1), caps.get(3));
                checks::header_ok(
                    scheme.map(|s| s.as_str()),
                    name.map(|n| n.as_str()),
                    secret,
                    &text[m.end()..],
                )
                .then(whole)?
            }
            Check::Generic => {
                let key = caps.get(1)?;
                let operator = &text[key.end()..m.start()];
                if !checks::assignment_ok(&text[..key.start()], operator, &text[m.end()..]) {
                    return None;
                }
                let value = checks::trim_value(secret);
                checks::generic_assignment_ok(key.as_str(), value).then_some((
                    m.start(),
                    m.start() + value.len(),
                    value.into(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_have_unique_ids_names_and_keywords_and_generic_is_last() {
        let mut ids: Vec<&str> = SPECS.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SPECS.len());
        assert_eq!(SPECS.last().map(|s| s.id), Some("generic-secret"));
        for spec in SPECS {
            assert!(
                !spec.name.is_empty() && !spec.keywords.is_empty(),
                "{}",
                spec.id
            );
            let groups = Regex::new(spec.pattern).unwrap().captures_len();
            assert!(spec.group < groups, "{}: group {}", spec.id, spec.group);
        }
    }

    /// README's table of rules lists every rule.
    #[test]
    fn readme_lists_every_rule() {
        let readme = include_str!("../../../README.md");
        let section = &readme[readme.find("## The secret-leak guard").unwrap()..];
        for spec in SPECS {
            assert!(
                section.contains(&format!("`{}`", spec.id)),
                "{} is not in README",
                spec.id
            );
        }
    }

    /// The shared assignment grammar accepts every operator it documents, and a comparison, call
    /// or comma only before a quoted value.
    #[test]
    fn assignment_grammar() {
        let re = Regex::new(concat!(r"(?i)^key", assign!(), r"(v+)$")).unwrap();
        for ok in [
            "key=vvv",
            "key = vvv",
            "key := vvv",
            "key ::= vvv",
            "key :::= vvv",
            "key ?= vvv",
            "key .= vvv",
            "key += vvv",
            "key => vvv",
            "key: vvv",
            "key>vvv",
            "key == \"vvv",
            "key != 'vvv",
            "key(\"vvv",
            "key\", \"vvv",
            "key[] = \"vvv",
            "key string = \"vvv",
            "key: String = \"vvv",
            "key: &'static str = \"vvv",
            "key = @\"vvv",
            "key:\n  vvv",
            "key>\r\n    vvv",
            "key\\\": \\\"vvv",
            "key`=`vvv",
        ] {
            assert!(re.is_match(ok), "{ok:?}");
        }
        for not in [
            "key == vvv",
            "key(vvv",
            "key, vvv",
            "key:\n\n  vvv",
            "key =\n vvv",
            "key vvv",
        ] {
            assert!(!re.is_match(not), "{not:?}");
        }
    }
}
