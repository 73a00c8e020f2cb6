//! `aws-iam-credential-report`: the CSV that `aws iam get-credential-report` returns (its
//! `Content`, base64-decoded), as AWS documents it in the IAM User Guide, "Getting credential
//! reports for your AWS account": 22 columns from `user` to `cert_2_last_rotated`; one row per
//! IAM user plus the `<root_account>` row; booleans `TRUE`/`FALSE` (written `true`/`false` in
//! practice); timestamps ISO 8601 (`2026-01-10T09:31:05+00:00`); `N/A` where a value does not
//! apply (no password, no key, a key never used), `no_information` for a password never used,
//! `not_supported` for the root user's password fields.
//!
//! An item is an active access key, keyed `<user>/key1` or `<user>/key2` and dated by
//! `access_key_N_last_rotated`. The report is an inventory: a key belongs to the period when it
//! existed by the period's end. Every row (with or without keys) is also tested as an account
//! (console users have MFA), and IAM users holding active keys are the input of the inventory
//! check (each must be claimed by an identity or a person).

mod attributes;
mod parse;

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use attributes::{test, test_account};
pub(crate) use parse::stream;
pub use parse::{parse, KeyFacts, Password, Report, UserRow, COLUMNS, ROOT};

/// An active access key as the report states it, for the identity pages: when it was last
/// rotated and last used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessKey {
    /// The item key, `<user>/key1` or `<user>/key2`.
    pub key: String,
    /// `access_key_N_last_rotated`.
    pub last_rotated: DateTime<FixedOffset>,
    /// `access_key_N_last_used_date`; `None` for a key never used (`N/A`).
    pub last_used: Option<DateTime<FixedOffset>>,
}

impl AccessKey {
    /// The key's age at `report` in whole days, counted as `key-rotated` counts it.
    pub fn age_days(&self, report: DateTime<FixedOffset>) -> i64 {
        attributes::days_between(self.last_rotated, report)
    }
}

/// `options:` of an `aws-iam-credential-report` source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Oldest a key may be at the report time when its identity sets no `rotation_days`
    /// (default 90, as CIS AWS Foundations recommends).
    #[serde(default = "ninety", deserialize_with = "super::decl::at_least_one")]
    pub max_key_age_days: u32,
    /// A key unused for longer than this at the report time is a deviation (default 90).
    #[serde(default = "ninety", deserialize_with = "super::decl::at_least_one")]
    pub unused_days: u32,
}

fn ninety() -> u32 {
    90
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_key_age_days: 90,
            unused_days: 90,
        }
    }
}
