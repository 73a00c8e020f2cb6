//! What the AWS IAM credential report says about a non-human identity: every access key of the
//! IAM users it claims (`accounts: { aws-iam-user: … }`), with its last rotation, its age at the
//! report time, its last use and the results of the key's attribute tests (age against the
//! identity's `rotation_days`, recent use): the one view model of the identity pages of both
//! bundles.

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::model::Identity;
use crate::content::sources::system_key;
use crate::content::Content;
use crate::sources::{Kind, Outcome};

/// One access key of an identity, as the credential report states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFact {
    /// The source's id.
    pub source: String,
    /// The key (`ci-deployer/key1`).
    pub key: String,
    /// Its last rotation.
    pub last_rotated: NaiveDate,
    /// The day the report was taken (the source's `extracted_at`).
    pub report_date: NaiveDate,
    /// Its age at the report time in whole days, as `key-rotated` counts it.
    pub age_days: i64,
    /// Its last use; `None` when the report says it was never used.
    pub last_used: Option<NaiveDate>,
    /// `(attribute id, "pass" | "fail" | "n/a", reason)` of each attribute test.
    pub results: Vec<(&'static str, &'static str, String)>,
    /// Whether any attribute failed.
    pub failed: bool,
}

/// Every active key of the IAM users `identity` claims, in every loaded credential report.
pub fn keys_of(content: &Content, identity: &Identity) -> Vec<KeyFact> {
    let Some(pack) = &content.pack else {
        return Vec::new();
    };
    let users: Vec<&str> = identity
        .accounts
        .iter()
        .filter(|(system, _)| system_key(system) == "aws")
        .flat_map(|(_, names)| names.iter())
        .collect();
    let mut out = Vec::new();
    for s in &content.sources {
        let (Some(decl), Some(loaded)) = (pack.value.sources.get(s.decl), &s.loaded) else {
            continue;
        };
        if decl.kind.kind() != Kind::AwsIamCredentialReport {
            continue;
        }
        for user in &users {
            for n in 1..=2 {
                let Some(item) = loaded.population.find(&format!("{user}/key{n}")) else {
                    continue;
                };
                let times = loaded.access_keys.iter().find(|k| k.key == item.key());
                let results: Vec<_> = item
                    .results()
                    .map(|r| match r.outcome {
                        Outcome::Pass => (r.attribute.id(), "pass", String::new()),
                        Outcome::Fail(why) => (r.attribute.id(), "fail", why.to_string()),
                        Outcome::NotApplicable(why) => (r.attribute.id(), "n/a", why.to_string()),
                    })
                    .collect();
                out.push(KeyFact {
                    source: decl.id.clone(),
                    key: item.key().to_string(),
                    last_rotated: item.date(),
                    report_date: decl.extracted_at.date_naive(),
                    age_days: times.map_or_else(
                        || (decl.extracted_at.date_naive() - item.date()).num_days(),
                        |k| k.age_days(decl.extracted_at),
                    ),
                    last_used: times
                        .and_then(|k| k.last_used)
                        .map(|t| t.naive_utc().date()),
                    failed: results.iter().any(|r| r.1 == "fail"),
                    results,
                });
            }
        }
    }
    out
}
