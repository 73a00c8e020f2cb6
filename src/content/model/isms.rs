//! The ISMS's own records (`isms/**/*.yaml`): the documented information ISO/IEC 27001:2022
//! requires besides policies, risks and reviews. Information security objectives (6.2),
//! planning of changes (6.3), competence (7.2), operational planning and control (8.1),
//! monitoring and measurement (9.1) and the internal audit programme (9.2).
//!
//! Each file under `isms/` is one mapping holding any of these sections; a pack may keep them in
//! one file or one file per section. Record ids are unique across every section of every file.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{string_or_number, strings_or_numbers, Extra};

/// One file under `isms/`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IsmsFile {
    /// Information security objectives (6.2).
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Changes to the ISMS, planned (6.3).
    #[serde(default)]
    pub changes: Vec<PlannedChange>,
    /// Roles, the competence each requires and the evidence of it (7.2).
    #[serde(default)]
    pub competence: Vec<Competence>,
    /// Processes planned and controlled, with their criteria (8.1).
    #[serde(default)]
    pub operations: Vec<OperationalProcess>,
    /// What is monitored and measured, how, by whom, when, and the results (9.1).
    #[serde(default)]
    pub monitoring: Vec<Measurement>,
    /// The internal audit programme over the certification cycle (9.2.2); one per pack.
    #[serde(default)]
    pub audit_programme: Option<AuditProgramme>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}

/// An information security objective (ISO 27001 6.2).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Objective id, e.g. `OBJ-2026-1`.
    pub id: String,
    /// What the organisation wants to achieve.
    pub title: String,
    /// How it is measured (6.2 b, 6.2 i: how results are evaluated).
    pub measure: String,
    /// The target value (text or number: `100%`, `4`, `< 5 days`).
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub target: String,
    /// Who is responsible (6.2 h).
    pub owner: String,
    /// When it is to be achieved (6.2 h).
    pub due: NaiveDate,
    /// What will be done and with which resources (6.2 f, g; Markdown).
    #[serde(default)]
    pub plan: Option<String>,
    /// The policy it is consistent with (6.2 a).
    #[serde(default)]
    pub policy: Option<String>,
    /// Evidence records that support it.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Results, one per period measured, oldest first.
    #[serde(default)]
    pub results: Vec<ObjectiveResult>,
}

/// Where an objective stands at a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectiveStatus {
    /// The target is met.
    Met,
    /// The target is missed.
    NotMet,
    /// Measured before the due date; not yet decided.
    InProgress,
}

/// One result of an objective.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveResult {
    /// The period it is for (`2026-Q1`, `H1 2026`).
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub period: String,
    /// When it was measured.
    pub date: NaiveDate,
    /// Met, not met or in progress.
    pub status: ObjectiveStatus,
    /// The value measured.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub value: String,
    /// Evidence records of the measurement.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// A note (Markdown).
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a planned change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeStatus {
    /// Not started.
    Planned,
    /// Under way.
    InProgress,
    /// Done.
    Done,
}

/// A change to the ISMS, planned (ISO 27001 6.3).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedChange {
    /// Change id, e.g. `CHG-ISMS-1`.
    pub id: String,
    /// What changes.
    pub title: String,
    /// When it is planned for.
    pub date: NaiveDate,
    /// Why (Markdown).
    pub purpose: String,
    /// Its potential consequences and how they are handled (Markdown).
    #[serde(default)]
    pub consequences: Option<String>,
    /// Who is responsible.
    pub owner: String,
    /// Where it stands.
    pub status: ChangeStatus,
    /// Evidence records of it.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A role, the competence it requires and the evidence of it (ISO 27001 7.2).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Competence {
    /// Role id, e.g. `ROLE-SRE`.
    pub id: String,
    /// The role's name.
    pub role: String,
    /// The competence it requires (Markdown).
    pub required: String,
    /// The people in the role.
    #[serde(default)]
    pub people: Vec<String>,
    /// Evidence records of their competence (training, certificates); a person's own are
    /// those they performed.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A process planned and controlled (ISO 27001 8.1).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationalProcess {
    /// Process id, e.g. `OPS-CHANGE`.
    pub id: String,
    /// The process.
    pub process: String,
    /// The criteria it is run against (Markdown).
    pub criteria: String,
    /// Who owns it.
    pub owner: String,
    /// Controls that implement it.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Evidence that it was carried out as planned.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// What is monitored and measured (ISO 27001 9.1).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// Measurement id, e.g. `MON-MFA`.
    pub id: String,
    /// What is measured (9.1 a).
    pub what: String,
    /// How (9.1 b).
    pub method: String,
    /// When (9.1 c): `monthly`, `each quarter`.
    pub when: String,
    /// Who measures (9.1 d).
    pub by: String,
    /// Who analyses and evaluates the results (9.1 e, f), when not the same person.
    #[serde(default)]
    pub analysed_by: Option<String>,
    /// The objective it measures, if any.
    #[serde(default)]
    pub objective: Option<String>,
    /// Results, oldest first.
    #[serde(default)]
    pub results: Vec<MeasurementResult>,
}

/// One result of a measurement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementResult {
    /// When it was measured.
    pub date: NaiveDate,
    /// The value.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub value: String,
    /// Evidence records of it.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// A note (Markdown).
    #[serde(default)]
    pub note: Option<String>,
}

/// The internal audit programme (ISO 27001 9.2.2).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditProgramme {
    /// The certification cycle it covers.
    pub cycle: super::Period,
    /// Who owns the programme.
    pub owner: String,
    /// How often, and how the scope rotates over the cycle (Markdown).
    pub frequency: String,
    /// The audits, planned and done.
    pub audits: Vec<PlannedAudit>,
}

/// One audit of the programme.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedAudit {
    /// Audit id, e.g. `IAP-2026`.
    pub id: String,
    /// When it is planned (the report is due by then).
    pub planned: NaiveDate,
    /// What it covers.
    pub scope: String,
    /// ISO 27001 clauses it covers.
    #[serde(default, deserialize_with = "strings_or_numbers")]
    #[schemars(with = "Vec<crate::content::schema::TextOrNumber>")]
    pub clauses: Vec<String>,
    /// Controls it covers.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Who audits (a person id).
    pub auditor: String,
    /// The internal audit review that reports it, once done.
    #[serde(default)]
    pub report: Option<String>,
}
