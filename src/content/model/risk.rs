//! Risk records (`risks/*.yaml`): scores, treatment and the treatment plan (ISO 27001 6.1.2,
//! 6.1.3, 8.2, 8.3).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Extra;

/// Risk treatment option (ISO 27001 6.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Treatment {
    /// Reduce with controls.
    Mitigate,
    /// Accept (needs `accepted_by`).
    Accept,
    /// Transfer (insurance, contract).
    Transfer,
    /// Stop the activity.
    Avoid,
}

/// Likelihood and impact on a 1..5 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskScore {
    /// 1..5.
    pub likelihood: u8,
    /// 1..5.
    pub impact: u8,
}

/// A risk of the register.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// Risk id, e.g. `R-07`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Optional narrative (Markdown).
    #[serde(default)]
    pub description: Option<String>,
    /// Risk owner.
    pub owner: String,
    /// Inherent likelihood, 1..5.
    pub likelihood: u8,
    /// Inherent impact, 1..5.
    pub impact: u8,
    /// Treatment decision.
    pub treatment: Treatment,
    /// Controls that treat the risk.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Residual score after treatment.
    #[serde(default)]
    pub residual: Option<RiskScore>,
    /// Who accepted the risk (required when treatment is accept).
    #[serde(default)]
    pub accepted_by: Option<String>,
    /// Last review date.
    #[serde(default)]
    pub reviewed_on: Option<NaiveDate>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// When the residual risk was accepted.
    #[serde(default)]
    pub accepted_on: Option<NaiveDate>,
    /// The risk treatment plan (ISO 27001 6.1.3 e).
    #[serde(default)]
    pub treatment_plan: Vec<TreatmentAction>,
    /// The asset (or process) at risk.
    #[serde(default)]
    pub asset: Option<String>,
    /// The threat.
    #[serde(default)]
    pub threat: Option<String>,
    /// The vulnerability exploited.
    #[serde(default)]
    pub vulnerability: Option<String>,
    /// The scenario, where the risk is assessed by scenario rather than by vulnerability.
    #[serde(default)]
    pub scenario: Option<String>,
    /// The consequence if it happens.
    #[serde(default)]
    pub consequence: Option<String>,
}

/// Where a treatment action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    /// Not started.
    Planned,
    /// Under way.
    InProgress,
    /// Done.
    Done,
}

/// One action of a risk treatment plan.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatmentAction {
    /// What is to be done.
    pub action: String,
    /// Who does it.
    pub owner: String,
    /// When it is due.
    pub due: NaiveDate,
    /// Where it stands.
    pub status: ActionStatus,
}
