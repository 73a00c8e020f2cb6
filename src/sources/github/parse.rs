//! Streaming parse of `gh pr list --json …` output: a visitor over the top-level array turns
//! each pull request into an item as soon as it is read, so memory holds items, not the file.

use std::fmt;
use std::io::{BufReader, Read};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::sources::error::{Position, SourceError};
use crate::sources::item::{Interner, Item, Locator, Parsed, Role};
use crate::sources::tap::Tap;
use crate::sources::Export;

/// Longest title kept (GitHub allows 256 characters; anything longer is not a GitHub export).
const MAX_TITLE: usize = 64 * 1024;

/// A GitHub account as the export names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The login as exported (`oliver-b`, `app/dependabot`; empty for a deleted account).
    pub login: Arc<str>,
    /// gh's `is_bot` flag (true for GitHub Apps, and for a deleted author).
    pub is_bot: bool,
}

/// A review's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// `APPROVED`.
    Approved,
    /// `CHANGES_REQUESTED`.
    ChangesRequested,
    /// `COMMENTED`.
    Commented,
    /// `DISMISSED` (an approval or change request dismissed later).
    Dismissed,
    /// `PENDING` (not submitted).
    Pending,
}

/// One review of a pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The reviewer's login (empty for a deleted account).
    pub author: Arc<str>,
    /// Its state.
    pub state: ReviewState,
    /// When it was submitted (absent for a pending review).
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

/// What the `github-pulls` attribute tests need of a merged pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullFacts {
    /// When it was merged.
    pub merged_at: DateTime<FixedOffset>,
    /// The branch it was merged into.
    pub base: Arc<str>,
    /// Who opened it.
    pub author: Account,
    /// Who merged it (absent when the account was deleted).
    pub merged_by: Option<Account>,
    /// Its reviews, in the order gh lists them.
    pub reviews: Vec<Review>,
}

#[derive(Deserialize)]
struct RawAccount {
    login: String,
    #[serde(default)]
    is_bot: bool,
}

#[derive(Deserialize)]
struct RawReviewAuthor {
    login: String,
}

#[derive(Deserialize)]
struct RawReview {
    author: Option<RawReviewAuthor>,
    state: RawState,
    #[serde(rename = "submittedAt")]
    submitted_at: Option<DateTime<FixedOffset>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum RawState {
    Approved,
    ChangesRequested,
    Commented,
    Dismissed,
    Pending,
}

/// The fields of the contract's `--json` list that the tests use; a field the command left out
/// is an error naming it (serde treats a missing `Option` as `None` unless `deserialize_with`
/// is set, hence `present`).
#[derive(Deserialize)]
struct RawPull {
    number: u64,
    title: String,
    url: String,
    #[serde(deserialize_with = "present")]
    author: Option<RawAccount>,
    #[serde(rename = "mergedAt", deserialize_with = "present")]
    merged_at: Option<DateTime<FixedOffset>>,
    #[serde(rename = "mergedBy", deserialize_with = "present")]
    merged_by: Option<RawAccount>,
    #[serde(rename = "baseRefName")]
    base_ref_name: String,
    reviews: Vec<RawReview>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::deserialize(d)
}

/// Reads a whole `github-pulls` export (for tests and fuzzing; the build streams it).
pub fn parse<R: Read>(reader: R) -> Result<Export<PullFacts>, SourceError> {
    crate::sources::collect(reader, stream)
}

/// Streams the export through `tap`, handing each merged pull request to `on_item`; returns the
/// number of pull requests read.
pub(crate) fn stream<R: Read>(
    tap: &mut Tap<R>,
    on_item: &mut dyn FnMut(Parsed<PullFacts>),
) -> Result<u64, SourceError> {
    let mut path = String::new();
    let mut names = Interner::default();
    let mut rows = 0u64;
    let result = {
        let reader = BufReader::with_capacity(64 * 1024, &mut *tap);
        let mut de = serde_json::Deserializer::from_reader(reader);
        let visitor = Pulls {
            on_item,
            path: &mut path,
            names: &mut names,
            rows: &mut rows,
        };
        de.deserialize_seq(visitor).and_then(|()| de.end())
    };
    match result {
        Ok(()) => Ok(rows),
        Err(e) => Err(json_error(tap, &e, path)),
    }
}

/// A serde_json error as a positioned problem (the tap's own error for an encoding problem).
fn json_error<R: Read>(tap: &mut Tap<R>, e: &serde_json::Error, path: String) -> SourceError {
    if e.is_io() {
        if let Some(err) = tap.take_error() {
            return err;
        }
    }
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let mut message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    if e.is_eof() {
        message = format!("the JSON ends too early (a truncated export?): {message}");
    }
    SourceError::new(
        Position::Json {
            line: e.line() as u64,
            column: e.column() as u64,
            path,
        },
        message,
    )
}

struct Pulls<'a> {
    on_item: &'a mut dyn FnMut(Parsed<PullFacts>),
    path: &'a mut String,
    names: &'a mut Interner,
    rows: &'a mut u64,
}

impl<'de> Visitor<'de> for Pulls<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of pull requests (what `gh pr list --json …` prints)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u64;
        while let Some(raw) = seq.next_element_seed(PullSeed {
            index,
            path: &mut *self.path,
        })? {
            *self.rows += 1;
            match convert(raw, index, self.names) {
                Ok(Some(item)) => (self.on_item)(item),
                Ok(None) => {}
                Err((field, message)) => {
                    *self.path = format!("[{index}].{field}");
                    return Err(de::Error::custom(message));
                }
            }
            index += 1;
        }
        Ok(())
    }
}

/// Deserializes one pull request, recording the path of a failure inside it.
struct PullSeed<'a> {
    index: u64,
    path: &'a mut String,
}

impl<'de> DeserializeSeed<'de> for PullSeed<'_> {
    type Value = RawPull;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawPull, D::Error> {
        serde_path_to_error::deserialize(d).map_err(|e| {
            let inner = e.path().to_string();
            *self.path = match inner.as_str() {
                "." => format!("[{}]", self.index),
                seq if seq.starts_with('[') => format!("[{}]{seq}", self.index),
                field => format!("[{}].{field}", self.index),
            };
            e.into_inner()
        })
    }
}

/// `<repository>#<number>` from a pull request URL (`https://github.com/<owner>/<repo>/pull/<n>`,
/// also on GitHub Enterprise hosts).
fn key_from_url(url: &str, number: u64) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        [.., _owner, repo, "pull", n] if !repo.is_empty() && *n == number.to_string() => {
            Some(format!("{repo}#{number}"))
        }
        _ => None,
    }
}

type Bad = (&'static str, String);

/// The item of a merged pull request, `None` for one that was not merged.
fn convert(
    raw: RawPull,
    index: u64,
    names: &mut Interner,
) -> Result<Option<Parsed<PullFacts>>, Bad> {
    let Some(merged_at) = raw.merged_at else {
        return Ok(None);
    };
    if raw.title.len() > MAX_TITLE {
        return Err((
            "title",
            format!(
                "a title longer than {} KiB is not a GitHub title",
                MAX_TITLE / 1024
            ),
        ));
    }
    let key = key_from_url(&raw.url, raw.number).ok_or_else(|| {
        (
            "url",
            format!(
                "`{}` is not the URL of pull request {} (https://github.com/<owner>/<repo>/pull/{})",
                raw.url, raw.number, raw.number
            ),
        )
    })?;
    let account = |names: &mut Interner, a: RawAccount| Account {
        login: names.get(&a.login),
        is_bot: a.is_bot,
    };
    // gh writes a deleted author as an app with an empty name.
    let author = raw.author.map_or(
        Account {
            login: names.get("app/"),
            is_bot: true,
        },
        |a| account(names, a),
    );
    let merged_by = raw.merged_by.map(|a| account(names, a));
    let reviews: Vec<Review> = raw
        .reviews
        .into_iter()
        .map(|r| Review {
            author: names.get(r.author.as_ref().map_or("", |a| a.login.as_str())),
            state: match r.state {
                RawState::Approved => ReviewState::Approved,
                RawState::ChangesRequested => ReviewState::ChangesRequested,
                RawState::Commented => ReviewState::Commented,
                RawState::Dismissed => ReviewState::Dismissed,
                RawState::Pending => ReviewState::Pending,
            },
            submitted_at: r.submitted_at,
        })
        .collect();
    let mut actors = vec![names.actor(Role::Author, &author.login)];
    if let Some(m) = &merged_by {
        actors.push(names.actor(Role::Merger, &m.login));
    }
    for r in &reviews {
        let known = actors
            .iter()
            .any(|a| a.role == Role::Approver && a.account == r.author);
        if r.state == ReviewState::Approved && !known {
            actors.push(names.actor(Role::Approver, &r.author));
        }
    }
    let item = Item {
        key,
        date: merged_at.naive_utc().date(),
        title: raw.title,
        link: Some(raw.url),
        actors,
        locator: Locator::Element(index),
    };
    Ok(Some(Parsed {
        item,
        facts: PullFacts {
            merged_at,
            base: names.get(&raw.base_ref_name),
            author,
            merged_by,
            reviews,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"[{"author":{"id":"MDQ6VXNlcjE=","is_bot":false,"login":"oliver-b","name":"Oliver Brandt"},"baseRefName":"main","createdAt":"2026-03-01T09:00:00Z","headRefName":"feat/x","labels":[],"mergedAt":"2026-03-02T10:15:00Z","mergedBy":{"id":"MDQ6VXNlcjI=","is_bot":false,"login":"amara-o","name":"Amara Okafor"},"number":4147,"reviewDecision":"APPROVED","reviews":[{"id":"PRR_1","author":{"login":"amara-o"},"authorAssociation":"MEMBER","body":"","submittedAt":"2026-03-02T09:00:00Z","includesCreatedEdit":false,"reactionGroups":[],"state":"APPROVED","commit":{"oid":"abc"}}],"title":"Rotate <keys> & tokens","url":"https://github.com/northwind/platform/pull/4147"}]"#;

    #[test]
    fn a_gh_pull_request_becomes_an_item() {
        let export = parse(ONE.as_bytes()).unwrap();
        assert_eq!(export.rows, 1);
        assert_eq!(export.bytes, ONE.len() as u64);
        let p = &export.items[0];
        assert_eq!(p.item.key, "platform#4147");
        assert_eq!(p.item.date.to_string(), "2026-03-02");
        assert_eq!(p.item.title, "Rotate <keys> & tokens");
        assert_eq!(
            p.item.link.as_deref(),
            Some("https://github.com/northwind/platform/pull/4147")
        );
        assert_eq!(p.item.locator, Locator::Element(0));
        let roles: Vec<(Role, &str)> = p
            .item
            .actors
            .iter()
            .map(|a| (a.role, a.account.as_ref()))
            .collect();
        assert_eq!(
            roles,
            [
                (Role::Author, "oliver-b"),
                (Role::Merger, "amara-o"),
                (Role::Approver, "amara-o")
            ]
        );
        assert_eq!(p.facts.base.as_ref(), "main");
        assert_eq!(p.facts.reviews[0].state, ReviewState::Approved);
        assert!(!p.facts.author.is_bot);
    }

    #[test]
    fn unmerged_pull_requests_are_read_but_are_not_items() {
        let open = ONE
            .replace(r#""mergedAt":"2026-03-02T10:15:00Z""#, r#""mergedAt":null"#)
            .replace(
                r#""mergedBy":{"id":"MDQ6VXNlcjI=","is_bot":false,"login":"amara-o","name":"Amara Okafor"}"#,
                r#""mergedBy":null"#,
            );
        let export = parse(open.as_bytes()).unwrap();
        assert_eq!((export.rows, export.items.len()), (1, 0));
    }

    #[test]
    fn bots_and_deleted_accounts_keep_gh_spelling() {
        let bot = ONE
            .replace(
                r#""author":{"id":"MDQ6VXNlcjE=","is_bot":false,"login":"oliver-b","name":"Oliver Brandt"}"#,
                r#""author":{"is_bot":true,"login":"app/dependabot"}"#,
            )
            .replace(
                r#""mergedBy":{"id":"MDQ6VXNlcjI=","is_bot":false,"login":"amara-o","name":"Amara Okafor"}"#,
                r#""mergedBy":null"#,
            )
            .replace(r#""author":{"login":"amara-o"}"#, r#""author":null"#);
        let p = &parse(bot.as_bytes()).unwrap().items[0];
        assert_eq!(p.facts.author.login.as_ref(), "app/dependabot");
        assert!(p.facts.author.is_bot);
        assert_eq!(p.facts.merged_by, None);
        assert_eq!(p.facts.reviews[0].author.as_ref(), "");
        let deleted = ONE.replace(
            r#""author":{"id":"MDQ6VXNlcjE=","is_bot":false,"login":"oliver-b","name":"Oliver Brandt"}"#,
            r#""author":null"#,
        );
        let p = &parse(deleted.as_bytes()).unwrap().items[0];
        assert_eq!(p.facts.author.login.as_ref(), "app/");
    }

    #[test]
    fn errors_name_the_json_path() {
        let bad = ONE.replace(
            r#""submittedAt":"2026-03-02T09:00:00Z""#,
            r#""submittedAt":"yesterday""#,
        );
        let (one, bad) = (&ONE[1..ONE.len() - 1], &bad[1..bad.len() - 1]);
        let err = parse(format!("[{one},{bad}]").as_bytes()).unwrap_err();
        let Position::Json { line, path, .. } = &err.position else {
            panic!("{err:?}")
        };
        assert_eq!((*line, path.as_str()), (1, "[1].reviews[0].submittedAt"));
        assert!(
            err.message.contains("input contains invalid characters"),
            "{}",
            err.message
        );

        let err = parse(
            ONE.replace(r#""number":4147"#, r#""number":"4147""#)
                .as_bytes(),
        )
        .unwrap_err();
        assert!(matches!(&err.position, Position::Json { path, .. } if path == "[0].number"));

        let err = parse(
            ONE.replace(r#""state":"APPROVED""#, r#""state":"LGTM""#)
                .as_bytes(),
        )
        .unwrap_err();
        assert!(
            matches!(&err.position, Position::Json { path, .. } if path == "[0].reviews[0].state")
        );
        assert!(
            err.message.contains("unknown variant `LGTM`"),
            "{}",
            err.message
        );

        let err = parse(ONE.replace("/pull/4147", "/issues/4147").as_bytes()).unwrap_err();
        assert!(matches!(&err.position, Position::Json { path, .. } if path == "[0].url"));
        assert!(err.message.contains("not the URL of pull request 4147"));
    }

    #[test]
    fn a_field_the_command_left_out_is_named() {
        let without = ONE.replace(r#""mergedBy":{"id":"MDQ6VXNlcjI=","is_bot":false,"login":"amara-o","name":"Amara Okafor"},"#, "");
        let err = parse(without.as_bytes()).unwrap_err();
        assert!(
            err.message.contains("missing field `mergedBy`"),
            "{}",
            err.message
        );
        assert!(matches!(&err.position, Position::Json { path, .. } if path == "[0]"));
    }

    #[test]
    fn truncated_and_foreign_json_is_refused() {
        let err = parse(&ONE.as_bytes()[..ONE.len() / 2]).unwrap_err();
        assert!(
            err.message.starts_with("the JSON ends too early"),
            "{}",
            err.message
        );
        let err = parse(&b"{\"message\":\"Bad credentials\"}"[..]).unwrap_err();
        assert!(
            err.message.contains("a JSON array of pull requests"),
            "{}",
            err.message
        );
        let err = parse(format!("{ONE}\n[]").as_bytes()).unwrap_err();
        assert!(
            err.message.contains("trailing characters"),
            "{}",
            err.message
        );
        let err = parse(&b""[..]).unwrap_err();
        assert!(err.message.contains("ends too early"), "{}", err.message);
        let err = parse(&b"\xff\xfe[\0]\0"[..]).unwrap_err();
        assert!(err.message.contains("UTF-16"), "{}", err.message);
    }

    #[test]
    fn empty_arrays_and_trailing_whitespace_are_fine() {
        let export = parse(&b"[]\n\n"[..]).unwrap();
        assert_eq!((export.rows, export.items.len(), export.bytes), (0, 0, 4));
    }

    #[test]
    fn keys_come_from_pull_request_urls() {
        assert_eq!(
            key_from_url("https://github.com/northwind/platform/pull/12", 12).as_deref(),
            Some("platform#12")
        );
        assert_eq!(
            key_from_url("https://ghe.northwind.example/infra/tf-modules/pull/7/", 7).as_deref(),
            Some("tf-modules#7")
        );
        assert_eq!(key_from_url("https://github.com/a/b/pull/12", 13), None);
        assert_eq!(key_from_url("https://github.com/a/b/issues/12", 12), None);
        assert_eq!(key_from_url("github.com/a/b/pull/12", 12), None);
        assert_eq!(key_from_url("https://github.com//pull/12", 12), None);
    }
}
