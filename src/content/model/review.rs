//! Review records (`reviews/*.md` front matter): management reviews, internal audits and their
//! actions.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Classification, Extra};

/// Kind of review record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    /// ISO 27001 9.3.
    ManagementReview,
    /// ISO 27001 9.2.
    InternalAudit,
    /// ISO 27001 10.2.
    Nonconformity,
    /// ISO 27001 10.2.
    CorrectiveAction,
}

/// Open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Still open.
    Open,
    /// Done.
    Closed,
}

/// An action arising from a review.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Action id.
    pub id: String,
    /// What is to be done.
    #[serde(default)]
    pub title: Option<String>,
    /// Who does it.
    pub owner: String,
    /// Due date.
    pub due: NaiveDate,
    /// Open or closed.
    pub status: Status,
}

/// A review's front matter; the body is the minutes or report (Markdown).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewMeta {
    /// Review id, e.g. `MR-2026-1`.
    pub id: String,
    /// What kind of review.
    pub kind: ReviewKind,
    /// Title (defaults to the kind and date).
    #[serde(default)]
    pub title: Option<String>,
    /// When it happened.
    pub date: NaiveDate,
    /// People present.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// The auditor (internal audits).
    #[serde(default)]
    pub auditor: Option<String>,
    /// Open or closed.
    pub status: Status,
    /// Actions arising.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Findings (control, risk or review ids).
    #[serde(default)]
    pub findings: Vec<String>,
    /// Related control, risk or review ids.
    #[serde(default)]
    pub relates_to: Vec<String>,
    /// Classification.
    #[serde(default)]
    pub classification: Classification,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
