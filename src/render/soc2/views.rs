//! The SOC 2 bundle's view models: what its templates show, borrowed from the content and the
//! analysis. A record withheld from the audience shows its id only: its title and text are
//! `None` here, and its page says why.

use chrono::NaiveDate;
use serde::Serialize;

use crate::analyse::procedure::Deviations;
use crate::content::model::{ComplementaryControl, ExceptionDetail, Outcome, SignificantChange};
use crate::render::views::{AttachmentView, PersonView, RecordRef};

/// A link to an evidence record (its title withheld when the record is).
pub(super) type EvidenceRef<'a> = RecordRef<'a>;

#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct ConclusionView {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    pub(super) badge: &'static str,
}

#[derive(Serialize)]
pub(super) struct CategoryView<'a> {
    pub(super) key: &'a str,
    pub(super) title: &'a str,
}

#[derive(Serialize)]
pub(super) struct ControlRef<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) conclusion: ConclusionView,
}

#[derive(Serialize)]
pub(super) struct ControlRow<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) operator: PersonView<'a>,
    pub(super) frequency: &'static str,
    pub(super) automated: bool,
    pub(super) criteria: &'a [String],
    pub(super) population: usize,
    pub(super) digest: &'a str,
    pub(super) sample_size: usize,
    pub(super) exceptions: usize,
    pub(super) missing: usize,
    pub(super) conclusion: ConclusionView,
    pub(super) in_scope: bool,
    pub(super) description: &'a str,
    pub(super) procedure: ProcedureView,
    pub(super) deviations: Deviations,
    pub(super) rate: String,
    /// What the population is (`controls.csv` `population_basis`).
    pub(super) basis: String,
    /// Expected occurrences without evidence (calendar populations).
    pub(super) gaps: usize,
    /// Expected occurrences due after the as-of date (calendar populations).
    pub(super) not_yet_due: usize,
}

/// A periodic control's calendar on its page ([`crate::analyse::periodic`]).
#[derive(Serialize)]
pub(super) struct CalendarView {
    /// The population in one sentence.
    pub(super) description: String,
    /// Every expected occurrence without evidence, sampled or not.
    pub(super) gaps: Vec<GapView>,
    /// Interval ids due after the as-of date.
    pub(super) not_yet_due: Vec<String>,
    /// Interval ids cut by the period's edges, not expected.
    pub(super) partial: Vec<String>,
}

/// An expected occurrence without evidence: a deviation.
#[derive(Serialize)]
pub(super) struct GapView {
    pub(super) id: String,
    pub(super) due: NaiveDate,
    pub(super) sampled: bool,
}

/// The test of a control as its page and `controls.csv` state it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ProcedureView {
    pub(super) nature: &'static str,
    pub(super) text: String,
    pub(super) default: bool,
}

#[derive(Serialize)]
pub(super) struct ControlsPage<'a> {
    pub(super) controls: &'a [ControlRow<'a>],
}

#[derive(Serialize)]
pub(super) struct Overview<'a> {
    pub(super) organisation: &'a str,
    pub(super) system: &'a str,
    pub(super) period_start: NaiveDate,
    pub(super) period_end: NaiveDate,
    pub(super) categories: Vec<CategoryView<'a>>,
    pub(super) seed: &'a str,
    pub(super) controls_in_scope: usize,
    pub(super) controls_out_of_scope: usize,
    pub(super) controls_tested: usize,
    pub(super) samples: usize,
    pub(super) exception_items: usize,
    pub(super) missing_items: usize,
    pub(super) no_exceptions: usize,
    pub(super) with_exceptions: usize,
    pub(super) no_population: usize,
    pub(super) exception_controls: Vec<&'a str>,
    pub(super) criteria: usize,
    pub(super) uncovered_criteria: usize,
    pub(super) carve_out: Vec<&'a str>,
    pub(super) inclusive: Vec<&'a str>,
    pub(super) cuecs: usize,
    pub(super) policies: usize,
    pub(super) risks: usize,
    pub(super) evidence: usize,
    /// Controls the distinct exception records touch (`exception_items` counts records once).
    pub(super) exception_records_controls: usize,
    /// pack.yaml states the service commitments the assertion relies on (`system.commitments`).
    pub(super) commitments_stated: bool,
}

#[derive(Serialize)]
pub(super) struct SubserviceView<'a> {
    pub(super) name: &'a str,
    pub(super) services: &'a str,
    pub(super) method: &'static str,
    /// Its complementary subservice organisation controls (DC 7).
    pub(super) csocs: &'a [ComplementaryControl],
    /// How the organisation monitors it.
    pub(super) monitoring: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct IncidentView<'a> {
    pub(super) date: NaiveDate,
    pub(super) evidence: EvidenceRef<'a>,
    pub(super) exception: bool,
    /// The incident's stated impact (`None` when withheld or not stated).
    pub(super) impact: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct SystemPage<'a> {
    pub(super) name: &'a str,
    pub(super) description: &'a str,
    pub(super) commitments: Option<&'a str>,
    pub(super) boundaries: &'a [String],
    pub(super) subservice: Vec<SubserviceView<'a>>,
    pub(super) cuecs: &'a [ComplementaryControl],
    /// Significant changes during the period (DC 9), by date.
    pub(super) changes: Vec<&'a SignificantChange>,
    pub(super) incidents: Vec<IncidentView<'a>>,
    pub(super) categories: Vec<CategoryView<'a>>,
    pub(super) not_in_scope: Vec<CategoryView<'a>>,
}

#[derive(Serialize)]
pub(super) struct CriterionView<'a> {
    pub(super) id: &'a str,
    pub(super) group: &'a str,
    pub(super) group_title: &'a str,
    pub(super) label: &'a str,
    /// The controls mapped to it (no conclusion: the criterion is not concluded on).
    pub(super) controls: Vec<ControlLink<'a>>,
    /// The numbers (1-based) of the complementary user entity controls that support it.
    pub(super) cuecs: Vec<usize>,
    /// The subservice organisations whose complementary controls support it.
    pub(super) csocs: Vec<&'a str>,
}

/// A link to a control by id and title.
#[derive(Serialize)]
pub(super) struct ControlLink<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
}

#[derive(Serialize)]
pub(super) struct CriteriaCategory<'a> {
    pub(super) category: CategoryView<'a>,
    pub(super) criteria: Vec<CriterionView<'a>>,
}

#[derive(Serialize)]
pub(super) struct CriteriaPage<'a> {
    pub(super) categories: Vec<CriteriaCategory<'a>>,
    pub(super) uncovered: usize,
}

#[derive(Serialize)]
pub(super) struct ExceptionView<'a> {
    pub(super) evidence: EvidenceRef<'a>,
    pub(super) occurred_on: NaiveDate,
    pub(super) controls: &'a [String],
    pub(super) description: Option<&'a str>,
    pub(super) management_response: Option<&'a str>,
    pub(super) remediated_on: Option<NaiveDate>,
    pub(super) late_rotation: Option<String>,
    pub(super) withheld: Option<String>,
    pub(super) sampled: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct LateView<'a> {
    pub(super) identity: &'a str,
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    pub(super) days: i64,
    pub(super) max_days: u32,
    pub(super) description: String,
    pub(super) closed_by: Option<EvidenceRef<'a>>,
    /// Not rotated by the end of the period (overdue), rather than rotated late.
    pub(super) overdue: bool,
}

#[derive(Serialize)]
pub(super) struct ExceptionsPage<'a> {
    pub(super) recorded: Vec<ExceptionView<'a>>,
    pub(super) late: Vec<LateView<'a>>,
}

#[derive(Serialize)]
pub(super) struct IdentityRecord<'a> {
    pub(super) evidence: EvidenceRef<'a>,
    pub(super) occurred_on: NaiveDate,
    pub(super) in_period: bool,
    pub(super) result: Outcome,
    pub(super) late: bool,
    pub(super) days_since_previous: Option<i64>,
    pub(super) performed_by: PersonView<'a>,
    pub(super) approved_by: Option<PersonView<'a>>,
    /// An access review whose reviewer owns the identity (`W135`).
    pub(super) by_owner: bool,
    /// The review CSV (under `attachments/`) whose row made the record a review of the identity.
    pub(super) listed_in: Option<&'a str>,
    /// That row's decision (`keep`, `revoke` …).
    pub(super) decision: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct IdentityView<'a> {
    pub(super) id: &'a str,
    pub(super) anchor: String,
    pub(super) withheld: Option<String>,
    pub(super) kind: String,
    pub(super) system: &'a str,
    pub(super) owner: Option<PersonView<'a>>,
    pub(super) created_on: NaiveDate,
    pub(super) rotation_days: Option<u32>,
    pub(super) decommissioned_on: Option<NaiveDate>,
    pub(super) rotations: Vec<IdentityRecord<'a>>,
    pub(super) access_reviews: Vec<IdentityRecord<'a>>,
    pub(super) offboardings: Vec<IdentityRecord<'a>>,
    pub(super) other: Vec<IdentityRecord<'a>>,
    pub(super) late: Vec<LateView<'a>>,
    /// Every rotation its `rotation_days` required in the period.
    pub(super) due: Vec<DueView<'a>>,
    /// `overdue`, `late`, `age not evidenced`, `decommissioned` or `on time`.
    pub(super) status: &'static str,
    pub(super) age_not_evidenced: bool,
    /// Its access keys in the AWS IAM credential report (none when withheld).
    pub(super) credential_keys: Vec<crate::analyse::credentials::KeyFact>,
}

#[derive(Serialize)]
pub(super) struct IdentitiesPage<'a> {
    pub(super) identities: Vec<IdentityView<'a>>,
    /// Rotations done after their due date.
    pub(super) late_total: usize,
    /// Credentials not rotated by the end of the period (or their decommissioning) after their
    /// due date.
    pub(super) overdue_total: usize,
}

#[derive(Serialize)]
pub(super) struct SizeView {
    pub(super) frequency: &'static str,
    pub(super) default: u32,
    pub(super) size: u32,
    pub(super) overridden: bool,
}

#[derive(Serialize)]
pub(super) struct SamplingRow<'a> {
    pub(super) id: &'a str,
    pub(super) source: &'a str,
    pub(super) population: usize,
    pub(super) digest: &'a str,
    pub(super) rule: String,
    pub(super) size: usize,
}

#[derive(Serialize)]
pub(super) struct HandCheck<'a> {
    pub(super) control: &'a str,
    pub(super) population_file: String,
    pub(super) input: String,
    pub(super) input_quoted: String,
    pub(super) seed_quoted: String,
    pub(super) hash: &'a str,
    pub(super) size: usize,
    pub(super) digest: &'a str,
}

#[derive(Serialize)]
pub(super) struct SamplingPage<'a> {
    pub(super) seed: &'a str,
    pub(super) sizes: Vec<SizeView>,
    pub(super) automated_size: u32,
    pub(super) controls: Vec<SamplingRow<'a>>,
    pub(super) example: Option<HandCheck<'a>>,
    pub(super) population_table: Vec<BandView>,
    pub(super) by_population: Vec<&'static str>,
    pub(super) extensions: Vec<(usize, usize)>,
    pub(super) commitment: Option<CommitmentView<'a>>,
}

/// How a committed seed was derived.
#[derive(Serialize)]
pub(super) struct CommitmentView<'a> {
    pub(super) nonce: &'a str,
    pub(super) header: &'static str,
    pub(super) populations: &'a [(String, String)],
    pub(super) file: &'static str,
}

/// One row of the population-scaled size table.
#[derive(Serialize)]
pub(super) struct BandView {
    pub(super) population: &'static str,
    pub(super) range: String,
    /// The size in force per frequency sized by population, in `by_population` order.
    pub(super) chosen: Vec<u32>,
}

#[derive(Serialize)]
pub(super) struct RequestItem<'a> {
    pub(super) id: &'a str,
    pub(super) occurred_on: NaiveDate,
    pub(super) title: Option<&'a str>,
    pub(super) rank: usize,
    pub(super) hash: &'a str,
}

#[derive(Serialize)]
pub(super) struct RequestGroupView<'a> {
    pub(super) control: &'a str,
    pub(super) title: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) operator: PersonView<'a>,
    pub(super) items: Vec<RequestItem<'a>>,
}

#[derive(Serialize)]
pub(super) struct RequestPage<'a> {
    pub(super) groups: Vec<RequestGroupView<'a>>,
    pub(super) total: usize,
}

#[derive(Serialize)]
pub(super) struct CriterionRef<'a> {
    pub(super) id: &'a str,
    pub(super) label: &'a str,
    pub(super) anchor: String,
}

#[derive(Serialize)]
pub(super) struct AnnexRef<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) anchor: String,
}

#[derive(Serialize)]
pub(super) struct SampleRow<'a> {
    pub(super) rank: usize,
    pub(super) id: &'a str,
    pub(super) occurred_on: NaiveDate,
    pub(super) title: Option<&'a str>,
    pub(super) hash: &'a str,
    pub(super) result: &'static str,
    pub(super) evidence: Vec<EvidenceRef<'a>>,
    /// The item's attribute results (an item of a source).
    pub(super) results: Vec<super::sources::ResultView<'a>>,
    /// One result per declared attribute, in declaration order: `pass`, `exception`,
    /// `not-applicable`, `not recorded`, or `missing` when the item has no evidence.
    pub(super) attributes: Vec<&'static str>,
    /// What became of a required rotation that was not on time (`late`, `overdue`, ...).
    pub(super) note: Option<&'static str>,
}

/// A required rotation of a rotation control that was not on time, sampled or not.
#[derive(Serialize)]
pub(super) struct RotationDeviationView<'a> {
    pub(super) id: &'a str,
    pub(super) identity: &'a str,
    pub(super) anchor: String,
    pub(super) status: &'static str,
    pub(super) description: &'a str,
    pub(super) sampled: bool,
    pub(super) evidence: Vec<EvidenceRef<'a>>,
    /// Management's responses: the exceptions recorded for it.
    pub(super) responses: Vec<ExceptionView<'a>>,
}

/// One required rotation of an identity.
#[derive(Serialize)]
pub(super) struct DueView<'a> {
    pub(super) id: String,
    pub(super) due: NaiveDate,
    pub(super) status: &'static str,
    pub(super) deviation: bool,
    pub(super) rotation: Option<EvidenceRef<'a>>,
}

/// A declared test attribute.
#[derive(Serialize)]
pub(super) struct AttributeView<'a> {
    pub(super) id: &'a str,
    pub(super) description: &'a str,
}

/// The IT general controls an automated control's test of one relies on.
#[derive(Serialize)]
pub(super) struct RelianceView<'a> {
    pub(super) controls: Vec<ControlRef<'a>>,
    pub(super) declared: bool,
    pub(super) with_deviations: Vec<&'a str>,
}

#[derive(Serialize)]
pub(super) struct TestView<'a> {
    pub(super) source_file: Option<&'a str>,
    pub(super) rows: usize,
    pub(super) outside_period: usize,
    pub(super) population: usize,
    pub(super) digest: &'a str,
    pub(super) population_file: String,
    pub(super) seed: &'a str,
    pub(super) ranking_input: String,
    pub(super) table_size: usize,
    pub(super) sample_size: usize,
    pub(super) rule: String,
    pub(super) sample: Vec<SampleRow<'a>>,
    pub(super) exceptions: Vec<ExceptionView<'a>>,
    pub(super) unsampled_exceptions: Vec<ExceptionView<'a>>,
    pub(super) conclusion: ConclusionView,
    /// The sources of the population (empty for a CSV or the evidence records).
    pub(super) sources: Vec<super::sources::SourceView<'a>>,
    /// Every failed attribute of the population, sampled or not.
    pub(super) population_deviations: Vec<super::sources::DeviationView<'a>>,
    pub(super) rotation_deviations: Vec<RotationDeviationView<'a>>,
    pub(super) deviations: Deviations,
    pub(super) rate: String,
    pub(super) attributes: Vec<AttributeView<'a>>,
    pub(super) reliance: Option<RelianceView<'a>>,
    /// The calendar of a periodic control whose population it is.
    pub(super) calendar: Option<CalendarView>,
    /// Expected occurrences without evidence (0 without a calendar).
    pub(super) gap_count: usize,
    /// The date the test is evaluated at.
    pub(super) as_of: NaiveDate,
}

#[derive(Serialize)]
pub(super) struct ControlPage<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) operator: PersonView<'a>,
    pub(super) frequency: &'static str,
    pub(super) automated: bool,
    pub(super) test_procedure: Option<&'a str>,
    pub(super) criteria: Vec<CriterionRef<'a>>,
    pub(super) annex: Vec<AnnexRef<'a>>,
    pub(super) policies: Vec<RecordRef<'a>>,
    pub(super) risks: Vec<RecordRef<'a>>,
    pub(super) test: Option<TestView<'a>>,
    pub(super) procedure: ProcedureView,
}

#[derive(Serialize)]
pub(super) struct ListItem<'a> {
    pub(super) id: &'a str,
    pub(super) title: Option<&'a str>,
    pub(super) owner: PersonView<'a>,
    pub(super) controls: Vec<ControlRef<'a>>,
}

#[derive(Serialize)]
pub(super) struct ListPage<'a> {
    pub(super) items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
pub(super) struct PolicyPage<'a> {
    pub(super) id: &'a str,
    pub(super) withheld: Option<String>,
    pub(super) title: Option<&'a str>,
    pub(super) owner: PersonView<'a>,
    pub(super) approved_by: PersonView<'a>,
    pub(super) approved_on: NaiveDate,
    pub(super) version: &'a str,
    pub(super) review_interval_months: u32,
    pub(super) classification: &'static str,
    pub(super) body: Option<&'a str>,
    pub(super) controls: Vec<ControlRef<'a>>,
}

#[derive(Serialize)]
pub(super) struct RiskPage<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) owner: PersonView<'a>,
    /// The inherent score under the pack's risk method.
    pub(super) inherent: ScoreView<'a>,
    pub(super) treatment: String,
    /// The residual score under the pack's risk method, when assessed.
    pub(super) residual: Option<ScoreView<'a>>,
    /// The residual (else inherent) score is above the pack's appetite.
    pub(super) above_appetite: bool,
    /// How the method combines likelihood and impact: `×` or `+`.
    pub(super) operator: &'static str,
    /// Who accepted the residual risk (`accepted_by`), shown beside the residual score, never
    /// beside the treatment (a mitigated risk's treatment is not what was accepted).
    pub(super) accepted_by: Option<PersonView<'a>>,
    /// When the residual risk was accepted.
    pub(super) accepted_on: Option<NaiveDate>,
    pub(super) reviewed_on: Option<NaiveDate>,
    pub(super) controls: Vec<ControlRef<'a>>,
}

/// A likelihood and impact scored with the pack's risk method (`risk_method:`).
#[derive(Serialize)]
pub(super) struct ScoreView<'a> {
    pub(super) likelihood: u8,
    /// The method's label of that likelihood point (`possible`).
    pub(super) likelihood_label: &'a str,
    pub(super) impact: u8,
    pub(super) impact_label: &'a str,
    pub(super) score: u32,
    /// The level band the score falls in (`high`).
    pub(super) level: &'a str,
    /// Its colour tone (`low`, `medium`, `high`, `critical`).
    pub(super) tone: &'static str,
}

#[derive(Serialize)]
pub(super) struct SampledInView<'a> {
    pub(super) control: &'a str,
    pub(super) rank: usize,
    pub(super) item: &'a str,
}

#[derive(Serialize)]
pub(super) struct EvidenceDetail<'a> {
    pub(super) title: &'a str,
    pub(super) kind: String,
    pub(super) occurred_on: NaiveDate,
    pub(super) in_period: bool,
    pub(super) performed_by: PersonView<'a>,
    pub(super) approved_by: Option<PersonView<'a>>,
    pub(super) system: Option<&'a str>,
    /// Every identity it names, with its anchor on the identities page.
    pub(super) identities: Vec<(RecordRef<'a>, String)>,
    pub(super) source: Option<&'a str>,
    pub(super) source_url: Option<&'a str>,
    pub(super) result: String,
    pub(super) exception: Option<&'a ExceptionDetail>,
    pub(super) late_rotation: Option<String>,
    pub(super) classification: &'static str,
    pub(super) summary: Option<&'a str>,
    pub(super) controls: Vec<ControlRef<'a>>,
    pub(super) attachments: Vec<AttachmentView<'a>>,
}

#[derive(Serialize)]
pub(super) struct EvidencePage<'a> {
    pub(super) id: &'a str,
    pub(super) withheld: Option<String>,
    pub(super) detail: Option<EvidenceDetail<'a>>,
    pub(super) sampled: Vec<SampledInView<'a>>,
}
