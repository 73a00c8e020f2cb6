//! The ISO bundle's view models: what its templates show, borrowed from the content and
//! computed once ([`super::model::Model`]), then sliced per page.

use chrono::NaiveDate;
use serde::Serialize;

use super::warnings::Message;
use crate::content::model::{
    Classification, EvidenceKind, ExceptionDetail, Frequency, HistoryEntry, IdentityKind, Outcome,
    ReviewKind, Status, Treatment,
};
use crate::render::views::{AttachmentView, PersonView, Titled};

/// A reference to any record, with its bundle-relative link.
#[derive(Debug, Clone, Serialize)]
pub(super) struct AnyRef<'a> {
    pub(super) id: &'a str,
    pub(super) kind: &'static str,
    pub(super) href: Option<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct PolicyView<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) approved_by: PersonView<'a>,
    pub(super) approved_on: NaiveDate,
    pub(super) version: &'a str,
    pub(super) review_interval_months: u32,
    pub(super) next_review: Option<NaiveDate>,
    pub(super) review_overdue: bool,
    pub(super) classification: Classification,
    pub(super) controls: Vec<Titled<'a>>,
    pub(super) body: &'a str,
    pub(super) warnings: Vec<Message<'a>>,
    pub(super) history: &'a [HistoryEntry],
}

#[derive(Debug, Serialize)]
pub(super) struct ControlView<'a> {
    #[serde(skip)]
    pub(super) index: usize,
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) operator: PersonView<'a>,
    pub(super) frequency: Frequency,
    pub(super) automated: bool,
    pub(super) policies: Vec<Titled<'a>>,
    pub(super) iso: Vec<Titled<'a>>,
    pub(super) soc2: Vec<Titled<'a>>,
    pub(super) csf: Vec<Titled<'a>>,
    pub(super) risks: Vec<Titled<'a>>,
    pub(super) test_procedure: Option<&'a str>,
    pub(super) evidence_in_period: usize,
    pub(super) evidence_outside_period: usize,
    pub(super) exceptions: usize,
    pub(super) last_evidence: Option<NaiveDate>,
    pub(super) status: &'static str,
    pub(super) warnings: Vec<Message<'a>>,
}

/// One evidence record in a list (a control's page, a month's page).
#[derive(Debug, Serialize)]
pub(super) struct EvidenceRow<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) kind: EvidenceKind,
    pub(super) occurred_on: NaiveDate,
    pub(super) in_period: bool,
    pub(super) result: Outcome,
    pub(super) performed_by: PersonView<'a>,
    pub(super) controls: &'a [String],
    pub(super) attachments: usize,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct Score(pub(super) u8, pub(super) u8);

#[derive(Debug, Serialize)]
pub(super) struct RiskView<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) owner: PersonView<'a>,
    pub(super) likelihood: u8,
    pub(super) impact: u8,
    pub(super) score: u32,
    pub(super) level: &'a str,
    pub(super) treatment: Treatment,
    pub(super) residual: Option<Score>,
    pub(super) residual_score: Option<u32>,
    pub(super) residual_level: Option<&'a str>,
    pub(super) controls: Vec<Titled<'a>>,
    pub(super) accepted_by: Option<PersonView<'a>>,
    pub(super) reviewed_on: Option<NaiveDate>,
    pub(super) warnings: Vec<Message<'a>>,
    /// The colour of the inherent level (`low`, `medium`, `high`, `critical`).
    pub(super) tone: &'static str,
    pub(super) residual_tone: Option<&'static str>,
    /// The residual (or, without one, the inherent) score is above the pack's appetite.
    pub(super) above_appetite: bool,
    pub(super) accepted_on: Option<NaiveDate>,
    pub(super) plan: Vec<PlanActionView<'a>>,
    pub(super) asset: Option<&'a str>,
    pub(super) threat: Option<&'a str>,
    pub(super) vulnerability: Option<&'a str>,
    pub(super) scenario: Option<&'a str>,
    pub(super) consequence: Option<&'a str>,
}

/// One action of a risk's treatment plan.
#[derive(Debug, Serialize)]
pub(super) struct PlanActionView<'a> {
    pub(super) action: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) due: NaiveDate,
    pub(super) status: &'static str,
    pub(super) overdue: bool,
}

#[derive(Debug, Serialize)]
pub(super) struct Rotation<'a> {
    pub(super) evidence: &'a str,
    pub(super) date: NaiveDate,
    pub(super) days_since_previous: Option<i64>,
    pub(super) late: bool,
}

#[derive(Debug, Serialize)]
pub(super) struct IdentityView<'a> {
    pub(super) id: &'a str,
    pub(super) kind: IdentityKind,
    pub(super) system: &'a str,
    pub(super) owner: Option<PersonView<'a>>,
    pub(super) description: Option<&'a str>,
    pub(super) created_on: NaiveDate,
    pub(super) rotation_days: Option<u32>,
    pub(super) decommissioned_on: Option<NaiveDate>,
    pub(super) classification: Classification,
    pub(super) rotations: Vec<Rotation<'a>>,
    pub(super) last_rotated: Option<NaiveDate>,
    pub(super) age_at_period_end: Option<i64>,
    pub(super) late_rotations: usize,
    pub(super) status: &'static str,
    pub(super) access_reviews: Vec<AccessReviewView<'a>>,
    pub(super) offboarding: Vec<Titled<'a>>,
    pub(super) other_evidence: Vec<Titled<'a>>,
    pub(super) warnings: Vec<Message<'a>>,
    /// Its access keys in the AWS IAM credential report, with their attribute results.
    pub(super) credential_keys: Vec<crate::analyse::credentials::KeyFact>,
}

/// An access review of an identity, with its reviewer.
#[derive(Debug, Serialize)]
pub(super) struct AccessReviewView<'a> {
    pub(super) evidence: Titled<'a>,
    pub(super) date: NaiveDate,
    pub(super) performed_by: PersonView<'a>,
    pub(super) approved_by: Option<PersonView<'a>>,
    /// The reviewer owns the identity (`W135`).
    pub(super) by_owner: bool,
    /// The review CSV (under `attachments/`) whose row made the record a review of the identity.
    pub(super) listed_in: Option<&'a str>,
    /// That row's decision (`keep`, `revoke` …).
    pub(super) decision: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(super) struct ActionView<'a> {
    pub(super) id: &'a str,
    pub(super) title: Option<&'a str>,
    pub(super) owner: PersonView<'a>,
    pub(super) due: NaiveDate,
    pub(super) status: Status,
    pub(super) overdue: bool,
    pub(super) review: &'a str,
}

#[derive(Debug, Serialize)]
pub(super) struct ReviewView<'a> {
    pub(super) id: &'a str,
    pub(super) kind: ReviewKind,
    pub(super) kind_label: &'static str,
    pub(super) clause: &'static str,
    pub(super) title: String,
    pub(super) date: NaiveDate,
    pub(super) attendees: Vec<PersonView<'a>>,
    pub(super) auditor: Option<PersonView<'a>>,
    pub(super) status: Status,
    pub(super) actions: Vec<ActionView<'a>>,
    pub(super) findings: Vec<AnyRef<'a>>,
    pub(super) relates_to: Vec<AnyRef<'a>>,
    pub(super) classification: Classification,
    pub(super) body: &'a str,
    /// A nonconformity's structured record (10.2).
    pub(super) nonconformity: Option<super::isms::NonconformityView<'a>>,
    pub(super) warnings: Vec<Message<'a>>,
}

#[derive(Serialize)]
pub(super) struct Health {
    pub(super) policies: usize,
    pub(super) policies_overdue: usize,
    pub(super) controls: usize,
    pub(super) controls_evidenced: usize,
    pub(super) annex_applicable: usize,
    pub(super) annex_excluded: usize,
    pub(super) annex_gaps: usize,
    pub(super) risks: usize,
    pub(super) risks_high_residual: usize,
    pub(super) evidence: usize,
    pub(super) evidence_in_period: usize,
    pub(super) exceptions: usize,
    pub(super) identities: usize,
    pub(super) identities_overdue: usize,
    pub(super) nonconformities_open: usize,
    pub(super) actions_open: usize,
    pub(super) actions_overdue: usize,
    pub(super) warnings: usize,
}

#[derive(Serialize)]
pub(super) struct RuleCount<'a> {
    pub(super) code: &'a str,
    pub(super) rule: &'a str,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct WarningView<'a> {
    pub(super) code: &'a str,
    pub(super) rule: &'a str,
    pub(super) message: Message<'a>,
    pub(super) file: &'a str,
    pub(super) line: usize,
}

#[derive(Serialize)]
pub(super) struct Overview<'a> {
    pub(super) organisation: &'a str,
    pub(super) website: Option<&'a str>,
    pub(super) scope_statement: &'a str,
    pub(super) boundaries: &'a [String],
    pub(super) exclusions: Vec<(&'a str, &'a str)>,
    pub(super) frameworks: Vec<&'a str>,
    pub(super) health: Health,
    pub(super) warnings_by_rule: Vec<RuleCount<'a>>,
    pub(super) warnings: Vec<WarningView<'a>>,
}

#[derive(Serialize)]
pub(super) struct RoleView<'a> {
    pub(super) person: PersonView<'a>,
    pub(super) policies_owned: usize,
    pub(super) policies_approved: usize,
    pub(super) controls_owned: usize,
    pub(super) controls_operated: usize,
    pub(super) risks_owned: usize,
}

#[derive(Serialize)]
pub(super) struct Leadership<'a> {
    pub(super) policies: &'a [PolicyView<'a>],
    pub(super) roles: Vec<RoleView<'a>>,
    pub(super) scope_statement: &'a str,
    /// The context of the organisation (4.1, 4.2, 4.3 interfaces).
    pub(super) context: Option<&'a crate::content::model::Context>,
}

#[derive(Serialize)]
pub(super) struct PolicyPage<'a> {
    pub(super) policy: &'a PolicyView<'a>,
}

#[derive(Serialize)]
pub(super) struct HeatCell<'a> {
    pub(super) likelihood: u8,
    pub(super) impact: u8,
    pub(super) score: u32,
    pub(super) level: String,
    pub(super) tone: &'static str,
    pub(super) risks: Vec<&'a str>,
}

#[derive(Serialize)]
pub(super) struct HeatRow<'a> {
    pub(super) impact: u8,
    pub(super) label: String,
    pub(super) cells: Vec<HeatCell<'a>>,
}

#[derive(Serialize)]
pub(super) struct HeatMap<'a> {
    pub(super) rows: Vec<HeatRow<'a>>,
}

/// A level band of the risk method, for the legend.
#[derive(Serialize)]
pub(super) struct BandView<'a> {
    pub(super) level: &'a str,
    pub(super) from: u32,
    pub(super) to: u32,
    pub(super) tone: &'static str,
}

/// The risk method as the risk page states it.
#[derive(Serialize)]
pub(super) struct MethodView<'a> {
    /// Point, likelihood label, impact label (empty past the end of the shorter scale).
    pub(super) points: Vec<(usize, &'a str, &'a str)>,
    pub(super) likelihood: &'a [String],
    pub(super) impact: &'a [String],
    pub(super) formula: &'static str,
    pub(super) min: u32,
    pub(super) max: u32,
    pub(super) bands: Vec<BandView<'a>>,
    pub(super) appetite: Option<u32>,
    pub(super) policy: Option<Titled<'a>>,
    /// The pack declares its own method (otherwise the default is shown).
    pub(super) declared: bool,
}

#[derive(Serialize)]
pub(super) struct RisksPage<'a> {
    /// The register in the pack's order (`risk_register.order`, by id by default).
    pub(super) risks: Vec<&'a RiskView<'a>>,
    /// The register again in the other order.
    pub(super) again: Vec<&'a RiskView<'a>>,
    /// `id` or `score`: the order of `risks`.
    pub(super) order: &'static str,
    pub(super) inherent: HeatMap<'a>,
    pub(super) residual: HeatMap<'a>,
    pub(super) method: MethodView<'a>,
    pub(super) above_appetite: usize,
    pub(super) accepted: usize,
    pub(super) overdue_actions: usize,
}

#[derive(Serialize)]
pub(super) struct RiskPage<'a> {
    pub(super) risk: &'a RiskView<'a>,
    /// The policy that documents the method the risk is scored by (ISO 27001 6.1.2).
    pub(super) method_policy: Option<Titled<'a>>,
}

#[derive(Serialize)]
pub(super) struct SoaControl<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) status: &'static str,
    pub(super) evidence: usize,
}

#[derive(Serialize)]
pub(super) struct SoaRow<'a> {
    pub(super) id: &'a str,
    pub(super) anchor: String,
    pub(super) title: &'a str,
    #[serde(skip)]
    pub(super) theme: &'a str,
    pub(super) applicable: bool,
    pub(super) justification: Option<&'a str>,
    pub(super) note: Option<&'a str>,
    pub(super) controls: Vec<SoaControl<'a>>,
    pub(super) status: &'static str,
    /// Why it is included: the risks it treats (declared, and found through its controls).
    pub(super) risks: Vec<Titled<'a>>,
    /// Why it is included: legal, regulatory and contractual requirements.
    pub(super) requirements: &'a [String],
    /// Why it is included: the business need.
    pub(super) business_need: Option<&'a str>,
    /// The declared implementation status (`implemented`, `partial`, `planned`).
    pub(super) implementation: Option<&'static str>,
    pub(super) planned_for: Option<NaiveDate>,
    /// What qualifies the evidence: open nonconformities, late rotations, coverage gaps.
    pub(super) findings: Vec<SoaFinding>,
}

/// Something that qualifies an Annex A control's evidence, with the page that shows it.
#[derive(Serialize)]
pub(super) struct SoaFinding {
    pub(super) text: String,
    pub(super) href: String,
}

#[derive(Serialize)]
pub(super) struct SoaTheme<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) rows: Vec<SoaRow<'a>>,
    pub(super) applicable: usize,
    pub(super) excluded: usize,
    pub(super) evidenced: usize,
    pub(super) gaps: usize,
    pub(super) findings: usize,
}

#[derive(Serialize)]
pub(super) struct SoaTotals {
    pub(super) total: usize,
    pub(super) applicable: usize,
    pub(super) excluded: usize,
    pub(super) evidenced: usize,
    pub(super) gaps: usize,
    /// Evidenced, but with open nonconformities, late rotations or coverage gaps.
    pub(super) findings: usize,
    /// Applicable without a declared implementation status.
    pub(super) undeclared: usize,
    /// Applicable without any reason (no risk, requirement or business need).
    pub(super) unreasoned: usize,
}

#[derive(Serialize)]
pub(super) struct SoaPage<'a> {
    pub(super) themes: Vec<SoaTheme<'a>>,
    pub(super) totals: SoaTotals,
    /// Document control of the SoA (`soa_document:`).
    pub(super) document: Option<SoaDocument<'a>>,
}

/// The SoA's version, owner, approval, next review and history.
#[derive(Serialize)]
pub(super) struct SoaDocument<'a> {
    pub(super) version: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) approved_by: PersonView<'a>,
    pub(super) approved_on: NaiveDate,
    pub(super) next_review: Option<NaiveDate>,
    pub(super) review_overdue: bool,
    pub(super) history: &'a [HistoryEntry],
}

#[derive(Serialize)]
pub(super) struct ControlsPage<'a> {
    pub(super) controls: &'a [ControlView<'a>],
}

#[derive(Serialize)]
pub(super) struct ControlPage<'a> {
    pub(super) control: &'a ControlView<'a>,
    pub(super) evidence: Vec<EvidenceRow<'a>>,
    /// The sources whose population is this control's.
    pub(super) sources: Vec<super::sources::SourceLine<'a>>,
}

#[derive(Serialize)]
pub(super) struct IdentityCounts {
    pub(super) total: usize,
    pub(super) on_time: usize,
    pub(super) late: usize,
    pub(super) overdue: usize,
    pub(super) age_not_evidenced: usize,
    pub(super) decommissioned: usize,
    pub(super) unowned: usize,
}

#[derive(Serialize)]
pub(super) struct IdentitiesPage<'a> {
    pub(super) identities: &'a [IdentityView<'a>],
    pub(super) counts: IdentityCounts,
}

#[derive(Serialize)]
pub(super) struct IdentityPage<'a> {
    pub(super) identity: &'a IdentityView<'a>,
}

#[derive(Serialize)]
pub(super) struct TimelineItem<'a> {
    pub(super) date: NaiveDate,
    pub(super) id: &'a str,
    pub(super) href: String,
    pub(super) what: &'static str,
    pub(super) title: String,
    pub(super) status: &'static str,
}

#[derive(Serialize)]
pub(super) struct Improvement<'a> {
    pub(super) audits: Vec<&'a ReviewView<'a>>,
    pub(super) management_reviews: Vec<&'a ReviewView<'a>>,
    pub(super) nonconformities: Vec<&'a ReviewView<'a>>,
    pub(super) corrective_actions: Vec<&'a ReviewView<'a>>,
    pub(super) actions: Vec<&'a ActionView<'a>>,
    pub(super) timeline: Vec<TimelineItem<'a>>,
}

#[derive(Serialize)]
pub(super) struct ReviewPage<'a> {
    pub(super) review: &'a ReviewView<'a>,
}

#[derive(Serialize)]
pub(super) struct KindCount {
    pub(super) kind: &'static str,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct EvidenceIndex {
    pub(super) total: usize,
    pub(super) attachments: usize,
    pub(super) attachment_bytes: u64,
    pub(super) by_kind: Vec<KindCount>,
    pub(super) months: Vec<MonthSummary>,
}

/// A calendar month of evidence: `month` is `2026-03` (its page's file name), `label` `March 2026`.
#[derive(Serialize, Clone)]
pub(super) struct MonthSummary {
    pub(super) month: String,
    pub(super) label: String,
    pub(super) records: usize,
    pub(super) exceptions: usize,
    pub(super) outside_period: usize,
}

#[derive(Serialize)]
pub(super) struct EvidenceMonth<'a> {
    pub(super) month: MonthSummary,
    pub(super) previous: Option<MonthSummary>,
    pub(super) next: Option<MonthSummary>,
    pub(super) rows: Vec<EvidenceRow<'a>>,
}

#[derive(Serialize)]
pub(super) struct EvidenceDetail<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) kind: EvidenceKind,
    pub(super) kind_label: &'static str,
    pub(super) occurred_on: NaiveDate,
    pub(super) in_period: bool,
    pub(super) performed_by: PersonView<'a>,
    pub(super) approved_by: Option<PersonView<'a>>,
    pub(super) system: Option<&'a str>,
    pub(super) identities: Vec<&'a str>,
    pub(super) source: Option<&'a str>,
    pub(super) source_is_url: bool,
    pub(super) result: Outcome,
    pub(super) exception: Option<&'a ExceptionDetail>,
    pub(super) classification: Classification,
    pub(super) summary: Option<&'a str>,
    pub(super) controls: Vec<Titled<'a>>,
    pub(super) attachments: Vec<AttachmentView<'a>>,
    pub(super) warnings: Vec<Message<'a>>,
    /// Withheld from the audience: its attachments, if any, are withheld with it.
    pub(super) withheld: bool,
}

#[derive(Serialize)]
pub(super) struct EvidencePage<'a> {
    pub(super) evidence: EvidenceDetail<'a>,
}

#[derive(Serialize)]
pub(super) struct CsfSubView<'a> {
    pub(super) id: &'a str,
    pub(super) text: &'a str,
    pub(super) covered: bool,
    pub(super) controls: Vec<Titled<'a>>,
    pub(super) iso_annex: Vec<Titled<'a>>,
    pub(super) iso_clauses: Vec<&'a str>,
}

#[derive(Serialize)]
pub(super) struct CsfCategoryView<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) total: usize,
    pub(super) covered: usize,
    pub(super) subcategories: Vec<CsfSubView<'a>>,
}

#[derive(Serialize)]
pub(super) struct CsfFunctionView<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) text: &'a str,
    pub(super) total: usize,
    pub(super) covered: usize,
    pub(super) categories: Vec<CsfCategoryView<'a>>,
}

#[derive(Serialize)]
pub(super) struct CsfPage<'a> {
    pub(super) functions: Vec<CsfFunctionView<'a>>,
    pub(super) total: usize,
    pub(super) covered: usize,
}
