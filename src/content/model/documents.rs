//! Document control: the version, approval, review interval and change history of the SoA
//! and of every policy (ISO 27001 7.5).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{default_review_interval, string_or_number};

/// One version in a document's change history.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// Version label.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub version: String,
    /// When it was approved.
    pub date: NaiveDate,
    /// What changed.
    pub change: String,
}

/// Document control of the Statement of Applicability (`soa_document:` in pack.yaml); policies
/// carry the same fields in their front matter.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentControl {
    /// Version label.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub version: String,
    /// Accountable person.
    pub owner: String,
    /// Approver.
    pub approved_by: String,
    /// Approval date.
    pub approved_on: NaiveDate,
    /// Months between reviews.
    #[serde(default = "default_review_interval")]
    pub review_interval_months: u32,
    /// Change history.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}
