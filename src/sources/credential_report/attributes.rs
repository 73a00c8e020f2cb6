//! The `aws-iam-credential-report` attribute tests (contract table): key age at the report
//! time within the identity's `rotation_days` (or `max_key_age_days`), key used within
//! `unused_days`, root has no active keys; and, on every row, console users have MFA.

use chrono::{DateTime, FixedOffset};

use super::parse::{KeyFacts, Password, UserRow};
use super::Options;
use crate::sources::accounts::{Claim, System};
use crate::sources::outcome::{Attribute, AttributeResult, Outcome};
use crate::sources::Context;

/// Tests one active key; one result per key attribute.
pub fn test(key: &KeyFacts, options: &Options, ctx: &Context<'_>) -> Vec<AttributeResult> {
    vec![
        AttributeResult::new(Attribute::KeyRotated, key_rotated(key, options, ctx)),
        AttributeResult::new(Attribute::KeyUsed, key_used(key, options, ctx.as_of)),
        AttributeResult::new(Attribute::RootNoActiveKeys, root_no_keys(key)),
    ]
}

/// Tests one row of the report as an account: a console password needs MFA.
pub fn test_account(user: &UserRow) -> Vec<AttributeResult> {
    let outcome = match (user.password, user.mfa_active) {
        (Password::Disabled, _) => Outcome::NotApplicable("no console password"),
        (_, true) => Outcome::Pass,
        (Password::Root, false) => Outcome::Fail("the root user has no MFA device".into()),
        (Password::Enabled, false) => {
            Outcome::Fail("console password without an MFA device".into())
        }
    };
    vec![AttributeResult::new(Attribute::ConsoleMfa, outcome)]
}

/// Whole days from `then` to `now`, rounded down (negative when `then` is later). Ages and
/// idle times are compared in whole days, as the report is read: 90 days and an hour is 90.
pub(super) fn days_between(then: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> i64 {
    (now - then).num_days()
}

fn key_rotated(key: &KeyFacts, options: &Options, ctx: &Context<'_>) -> Outcome {
    let (limit, source) = match ctx.accounts.claim(System::Aws, &key.user) {
        Some(Claim::Identity {
            id,
            rotation_days: Some(days),
        }) => (days, format!("rotation_days of identity `{id}`")),
        _ => (options.max_key_age_days, "max_key_age_days".to_string()),
    };
    let age = days_between(key.last_rotated, ctx.as_of);
    if age <= i64::from(limit) {
        Outcome::Pass
    } else {
        Outcome::Fail(format!(
            "{age} days old at the report time (last rotated {}; {source} is {limit})",
            key.last_rotated.format("%Y-%m-%d")
        ))
    }
}

fn key_used(key: &KeyFacts, options: &Options, as_of: DateTime<FixedOffset>) -> Outcome {
    let limit = i64::from(options.unused_days);
    let (since, what) = match key.last_used {
        Some(used) => (used, "last used"),
        None => (key.last_rotated, "never used since"),
    };
    let idle = days_between(since, as_of);
    if idle <= limit {
        Outcome::Pass
    } else {
        Outcome::Fail(format!(
            "{what} {}, {idle} days before the report (unused_days is {limit})",
            since.format("%Y-%m-%d")
        ))
    }
}

fn root_no_keys(key: &KeyFacts) -> Outcome {
    if key.is_root {
        Outcome::Fail("an active access key of the root user".into())
    } else {
        Outcome::NotApplicable("not the root user")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::sources::accounts::testing::Table;
    use crate::sources::item::Locator;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    const REPORT: &str = "2026-07-01T08:00:00Z";

    fn key(user: &str, rotated: &str, used: Option<&str>) -> KeyFacts {
        KeyFacts {
            user: Arc::from(user),
            last_rotated: t(rotated),
            last_used: used.map(t),
            is_root: user == "<root_account>",
        }
    }

    fn table() -> Table {
        Table {
            rows: vec![
                (
                    "aws",
                    "ci-deployer",
                    Claim::Identity {
                        id: "svc-ci",
                        rotation_days: Some(30),
                    },
                ),
                (
                    "aws",
                    "backup",
                    Claim::Identity {
                        id: "svc-backup",
                        rotation_days: None,
                    },
                ),
                ("aws", "oliver", Claim::Person("oliver")),
            ],
            people: vec![],
        }
    }

    fn outcome(k: &KeyFacts, options: &Options, attribute: Attribute) -> Outcome {
        let accounts = table();
        let ctx = Context {
            accounts: &accounts,
            as_of: t(REPORT),
        };
        test(k, options, &ctx)
            .into_iter()
            .find(|r| r.attribute == attribute)
            .unwrap()
            .outcome
    }

    #[test]
    fn key_age_uses_the_identity_rotation_days_first() {
        let o = Options::default();
        // 31 days old: over the identity's 30, under the default 90.
        let ci = key("ci-deployer", "2026-05-31T07:59:00Z", Some(REPORT));
        assert_eq!(
            outcome(&ci, &o, Attribute::KeyRotated).into_failure(),
            "31 days old at the report time (last rotated 2026-05-31; rotation_days of \
             identity `svc-ci` is 30)"
        );
        // 30 days and 23 hours is 30 whole days.
        let exactly = key("ci-deployer", "2026-05-31T09:00:00Z", Some(REPORT));
        assert_eq!(outcome(&exactly, &o, Attribute::KeyRotated), Outcome::Pass);
        // An identity without rotation_days, a person, and nobody use max_key_age_days.
        for user in ["backup", "oliver", "stranger"] {
            let young = key(user, "2026-04-01T08:00:01Z", Some(REPORT));
            assert_eq!(
                outcome(&young, &o, Attribute::KeyRotated),
                Outcome::Pass,
                "{user}"
            );
            let stale = key(user, "2026-04-01T08:00:00Z", Some(REPORT));
            assert!(outcome(&stale, &o, Attribute::KeyRotated)
                .into_failure()
                .ends_with("max_key_age_days is 90)"));
        }
        let strict = Options {
            max_key_age_days: 10,
            ..Options::default()
        };
        let k = key("stranger", "2026-06-20T08:00:00Z", Some(REPORT));
        assert!(outcome(&k, &strict, Attribute::KeyRotated)
            .into_failure()
            .starts_with("11 days old"));
    }

    #[test]
    fn a_key_unused_for_too_long_fails() {
        let o = Options::default();
        let recent = key(
            "oliver",
            "2025-01-01T00:00:00Z",
            Some("2026-04-01T08:00:01Z"),
        );
        assert_eq!(outcome(&recent, &o, Attribute::KeyUsed), Outcome::Pass);
        let idle = key(
            "oliver",
            "2025-01-01T00:00:00Z",
            Some("2026-04-01T08:00:00Z"),
        );
        assert_eq!(
            outcome(&idle, &o, Attribute::KeyUsed).into_failure(),
            "last used 2026-04-01, 91 days before the report (unused_days is 90)"
        );
        let never_new = key("oliver", "2026-06-01T00:00:00Z", None);
        assert_eq!(outcome(&never_new, &o, Attribute::KeyUsed), Outcome::Pass);
        let never_old = key("oliver", "2026-01-02T00:00:00Z", None);
        assert_eq!(
            outcome(&never_old, &o, Attribute::KeyUsed).into_failure(),
            "never used since 2026-01-02, 180 days before the report (unused_days is 90)"
        );
        let tight = Options {
            unused_days: 7,
            ..Options::default()
        };
        let week = key(
            "oliver",
            "2025-01-01T00:00:00Z",
            Some("2026-06-23T08:01:00Z"),
        );
        assert_eq!(outcome(&week, &tight, Attribute::KeyUsed), Outcome::Pass);
        let eight = key(
            "oliver",
            "2025-01-01T00:00:00Z",
            Some("2026-06-23T08:00:00Z"),
        );
        assert!(outcome(&eight, &tight, Attribute::KeyUsed).is_fail());
    }

    #[test]
    fn root_keys_fail_and_others_do_not_apply() {
        let o = Options::default();
        let root = key("<root_account>", "2026-06-01T00:00:00Z", Some(REPORT));
        assert_eq!(
            outcome(&root, &o, Attribute::RootNoActiveKeys).into_failure(),
            "an active access key of the root user"
        );
        let user = key("oliver", "2026-06-01T00:00:00Z", Some(REPORT));
        assert_eq!(
            outcome(&user, &o, Attribute::RootNoActiveKeys),
            Outcome::NotApplicable("not the root user")
        );
    }

    #[test]
    fn console_users_need_mfa() {
        let row = |password, mfa_active| UserRow {
            user: "u".into(),
            arn: String::new(),
            locator: Locator::Line(2),
            password,
            mfa_active,
            active_keys: 0,
        };
        let result = |r: &UserRow| test_account(r).remove(0);
        assert_eq!(result(&row(Password::Enabled, true)).outcome, Outcome::Pass);
        assert_eq!(
            result(&row(Password::Enabled, false)).outcome,
            Outcome::Fail("console password without an MFA device".into())
        );
        assert_eq!(
            result(&row(Password::Root, false)).outcome,
            Outcome::Fail("the root user has no MFA device".into())
        );
        assert_eq!(result(&row(Password::Root, true)).outcome, Outcome::Pass);
        assert_eq!(
            result(&row(Password::Disabled, false)).outcome,
            Outcome::NotApplicable("no console password")
        );
        assert_eq!(
            result(&row(Password::Disabled, false)).attribute,
            Attribute::ConsoleMfa
        );
    }

    #[test]
    fn days_are_whole_days_either_way() {
        assert_eq!(
            days_between(t("2026-01-01T00:00:00Z"), t("2026-01-03T23:00:00Z")),
            2
        );
        assert_eq!(
            days_between(t("2026-01-03T00:00:00Z"), t("2026-01-01T00:00:00Z")),
            -2
        );
    }
}
