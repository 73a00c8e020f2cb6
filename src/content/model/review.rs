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
    /// A nonconformity: what happened, in a sentence or two (Markdown; the body tells it all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_happened: Option<String>,
    /// A nonconformity: the immediate correction (ISO 27001 10.2 a; Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    /// A nonconformity: its root cause (10.2 b; Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    /// A nonconformity: its corrective actions (10.2 c), as corrective-action review ids or
    /// action ids of any review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrective_actions: Vec<String>,
    /// A nonconformity: who is responsible for closing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A nonconformity: when it is to be closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// A nonconformity: the review of the effectiveness of its corrective actions (10.2 d).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effectiveness: Option<Effectiveness>,
}

/// Whether corrective actions worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EffectivenessResult {
    /// The nonconformity did not recur; the actions worked.
    Effective,
    /// The actions did not work (a new corrective action is needed).
    NotEffective,
}

/// The review of the effectiveness of a nonconformity's corrective actions (ISO 27001 10.2 d).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Effectiveness {
    /// When it was reviewed.
    pub date: NaiveDate,
    /// Who reviewed it.
    pub by: String,
    /// What the review found.
    pub result: EffectivenessResult,
    /// How it was checked (Markdown).
    #[serde(default)]
    pub note: Option<String>,
    /// Evidence records of the review.
    #[serde(default)]
    pub evidence: Vec<String>,
}
