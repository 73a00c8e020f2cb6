//! Attribute test results as data: for every item (and, for the credential report, every
//! account) each attribute of its kind passes, fails with a short reason, or does not apply.

use serde::Serialize;

use super::item::Locator;

/// An attribute a kind tests on every item (the contract's table, by kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribute {
    /// `github-pulls`: approved before the merge by enough people other than the author.
    ApprovedBeforeMerge,
    /// `github-pulls`: merged into an allowed base branch.
    AllowedBase,
    /// `github-pulls`: merged by a known person or identity.
    MergerKnown,
    /// `aws-iam-credential-report`: key age at the report time within the allowed age.
    KeyRotated,
    /// `aws-iam-credential-report`: key used within `unused_days`.
    KeyUsed,
    /// `aws-iam-credential-report`: the key is not the root user's.
    RootNoActiveKeys,
    /// `aws-iam-credential-report` (accounts): a user with a console password has MFA.
    ConsoleMfa,
    /// `jira-csv`: the ticket reached a done status.
    Resolved,
    /// `jira-csv`: resolved within `sla_days` of creation.
    WithinSla,
    /// `jira-csv`, `csv`: approved by someone other than the reporter, assignee or performer.
    IndependentApproval,
    /// `csv`: the result column holds a pass value.
    ResultPass,
}

impl Attribute {
    /// Stable kebab-case id, used in JSON output and explanations.
    pub fn id(self) -> &'static str {
        match self {
            Attribute::ApprovedBeforeMerge => "approved-before-merge",
            Attribute::AllowedBase => "allowed-base",
            Attribute::MergerKnown => "merger-known",
            Attribute::KeyRotated => "key-rotated",
            Attribute::KeyUsed => "key-used",
            Attribute::RootNoActiveKeys => "root-no-active-keys",
            Attribute::ConsoleMfa => "console-mfa",
            Attribute::Resolved => "resolved",
            Attribute::WithinSla => "within-sla",
            Attribute::IndependentApproval => "independent-approval",
            Attribute::ResultPass => "result-pass",
        }
    }

    /// What passing means, in one line for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Attribute::ApprovedBeforeMerge => {
                "approved before the merge by someone other than the author"
            }
            Attribute::AllowedBase => "merged into an allowed base branch",
            Attribute::MergerKnown => "merged by a known person or identity",
            Attribute::KeyRotated => "key younger than its allowed age at the report time",
            Attribute::KeyUsed => "key used recently",
            Attribute::RootNoActiveKeys => "not an access key of the root user",
            Attribute::ConsoleMfa => "console password protected by MFA",
            Attribute::Resolved => "resolved (a done status)",
            Attribute::WithinSla => "resolved within the SLA",
            Attribute::IndependentApproval => {
                "approved by someone other than the people who did the work"
            }
            Attribute::ResultPass => "result is a pass value",
        }
    }
}

/// The outcome of one attribute on one item. `R` is the reason's text: owned as the tests
/// produce it, borrowed as a [`Population`](super::population::Population) gives it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "reason", rename_all = "kebab-case")]
pub enum Outcome<R = String> {
    /// It holds.
    Pass,
    /// It does not: a deviation, with a short reason naming the facts.
    Fail(R),
    /// It cannot apply to this item (not configured, not this kind of account), and why.
    NotApplicable(&'static str),
}

impl<R> Outcome<R> {
    /// Is this a deviation?
    pub fn is_fail(&self) -> bool {
        matches!(self, Outcome::Fail(_))
    }
}

#[cfg(test)]
impl<R: std::fmt::Debug> Outcome<R> {
    /// The reason of a failure; panics on anything else (tests only).
    pub(crate) fn into_failure(self) -> R {
        match self {
            Outcome::Fail(reason) => reason,
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}

/// One attribute's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeResult<R = String> {
    /// Which attribute.
    pub attribute: Attribute,
    /// Its outcome.
    #[serde(flatten)]
    pub outcome: Outcome<R>,
}

impl<R> AttributeResult<R> {
    /// `attribute` with `outcome`.
    pub fn new(attribute: Attribute, outcome: Outcome<R>) -> AttributeResult<R> {
        AttributeResult { attribute, outcome }
    }
}

/// An account tested outside the population (a credential report user: console MFA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestedAccount {
    /// The account as the export names it (`<root_account>`, `ci-deployer`).
    pub account: String,
    /// Where its row is.
    pub locator: Locator,
    /// Its results.
    pub results: Vec<AttributeResult>,
}

/// A failed attribute: the subject (an item key or an account), the attribute and the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deviation<'a> {
    /// The item key, or the account for account results.
    pub subject: &'a str,
    /// Where the subject sits in the export.
    pub locator: Locator,
    /// The attribute that failed.
    pub attribute: Attribute,
    /// Why.
    pub reason: &'a str,
}

impl AttributeResult {
    /// The same result with its reason borrowed.
    pub fn borrowed(&self) -> AttributeResult<&str> {
        let outcome = match &self.outcome {
            Outcome::Pass => Outcome::Pass,
            Outcome::Fail(reason) => Outcome::Fail(reason.as_str()),
            Outcome::NotApplicable(why) => Outcome::NotApplicable(why),
        };
        AttributeResult::new(self.attribute, outcome)
    }
}

/// Every failure among `results`, about `subject`.
pub(crate) fn failures<'a>(
    subject: &'a str,
    locator: Locator,
    results: impl IntoIterator<Item = AttributeResult<&'a str>> + 'a,
) -> impl Iterator<Item = Deviation<'a>> + 'a {
    results.into_iter().filter_map(move |r| match r.outcome {
        Outcome::Fail(reason) => Some(Deviation {
            subject,
            locator,
            attribute: r.attribute,
            reason,
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        let all = [
            Attribute::ApprovedBeforeMerge,
            Attribute::AllowedBase,
            Attribute::MergerKnown,
            Attribute::KeyRotated,
            Attribute::KeyUsed,
            Attribute::RootNoActiveKeys,
            Attribute::ConsoleMfa,
            Attribute::Resolved,
            Attribute::WithinSla,
            Attribute::IndependentApproval,
            Attribute::ResultPass,
        ];
        let ids: std::collections::BTreeSet<&str> = all.iter().map(|a| a.id()).collect();
        assert_eq!(ids.len(), all.len());
        for a in all {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.id()));
            assert!(!a.describe().is_empty());
        }
    }

    #[test]
    fn failures_are_the_failed_results_only() {
        let results: Vec<AttributeResult> = vec![
            AttributeResult::new(Attribute::Resolved, Outcome::Pass),
            AttributeResult::new(Attribute::WithinSla, Outcome::Fail("late".into())),
            AttributeResult::new(
                Attribute::IndependentApproval,
                Outcome::NotApplicable("off"),
            ),
        ];
        let got: Vec<Deviation> = failures(
            "SEC-1",
            Locator::Line(2),
            results.iter().map(|r| r.borrowed()),
        )
        .collect();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].attribute, Attribute::WithinSla);
        assert_eq!(got[0].reason, "late");
        assert!(results[1].outcome.is_fail());
        assert!(!results[0].outcome.is_fail());
        assert!(!results[2].outcome.is_fail());
        assert_eq!(
            serde_json::to_value(&results[1]).unwrap(),
            serde_json::json!({"attribute": "within-sla", "outcome": "fail", "reason": "late"})
        );
        assert_eq!(
            serde_json::to_value(&results[0]).unwrap(),
            serde_json::json!({"attribute": "resolved", "outcome": "pass"})
        );
    }
}
