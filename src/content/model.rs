//! The content model: typed records exactly as `docs/content-format.md` specifies them.
//!
//! Every record rejects unknown fields (a typo must never silently drop data) except under
//! `extra:`, which is passed to templates untouched. Markdown fields are kept as source text
//! and rendered later.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

pub use super::sizes::{Band, SizeSetting};

mod calendar;
mod documents;
mod evidence;
mod identity;
mod isms;
mod review;
mod risk;
mod settings;
mod system;
mod testing;
pub use calendar::{CalendarSettings, Interval, COVERS_FORMS};
pub use documents::{DocumentControl, HistoryEntry};
pub use evidence::*;
pub use identity::*;
pub use isms::*;
pub use review::*;
pub use risk::*;
pub use settings::{
    ClimateChange, Context, InterestedParty, Paper, PrintSettings, RegisterOrder,
    RiskRegisterSettings,
};
pub use system::{
    ComplementaryControl, SignificantChange, SubserviceMethod, SubserviceOrganisation,
    SystemDescription,
};
pub use testing::{AttributeResult, TestAttribute, TestDeclaration, TestNature};

/// Free-form data a record carries for templates (`extra:`), passed through untouched.
pub type Extra = Option<serde_json::Value>;

/// A document classification, ordered from least to most sensitive.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Classification {
    /// May be published.
    Public,
    /// Staff and trusted parties (the default).
    #[default]
    Internal,
    /// Named recipients (auditors) only.
    Confidential,
    /// Never leaves the organisation.
    Restricted,
}

impl Classification {
    /// The lowercase name used in content files.
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Internal => "internal",
            Classification::Confidential => "confidential",
            Classification::Restricted => "restricted",
        }
    }
}

/// How often a control operates; drives SOC 2 sample sizes and coverage warnings.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    /// Once a year.
    Annual,
    /// Twice a year.
    Semiannual,
    /// Once a quarter.
    Quarterly,
    /// Once a month.
    Monthly,
    /// Once a week.
    Weekly,
    /// Once a day.
    Daily,
    /// Many times a day (transactional).
    MultipleDaily,
    /// Whenever an event happens (a joiner, a change, an incident).
    OnEvent,
    /// Always on (an automated configuration).
    Continuous,
}

impl Frequency {
    /// Every frequency, in order from rarest to most frequent.
    pub const ALL: [Frequency; 9] = [
        Frequency::Annual,
        Frequency::Semiannual,
        Frequency::Quarterly,
        Frequency::Monthly,
        Frequency::Weekly,
        Frequency::Daily,
        Frequency::MultipleDaily,
        Frequency::OnEvent,
        Frequency::Continuous,
    ];

    /// The kebab-case name used in content files.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Annual => "annual",
            Frequency::Semiannual => "semiannual",
            Frequency::Quarterly => "quarterly",
            Frequency::Monthly => "monthly",
            Frequency::Weekly => "weekly",
            Frequency::Daily => "daily",
            Frequency::MultipleDaily => "multiple-daily",
            Frequency::OnEvent => "on-event",
            Frequency::Continuous => "continuous",
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `pack.yaml`: the organisation, scope, period, frameworks and audiences.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Who the pack is about.
    pub organisation: Organisation,
    /// ISO 27001 clause 4.3 scope.
    pub scope: Scope,
    /// SOC 2 system description (DC 200).
    pub system: SystemDescription,
    /// The SOC 2 period under review.
    pub period: Period,
    /// Framework keys in scope (`iso27001-2022`, `soc2-2017`, `nist-csf-2.0`).
    pub frameworks: Vec<String>,
    /// SOC 2 settings.
    #[serde(default)]
    pub soc2: Soc2Settings,
    /// Secret-leak guard settings.
    #[serde(default)]
    pub secrets: SecretSettings,
    /// Published audiences and the most sensitive classification each may see.
    #[serde(default)]
    pub audiences: BTreeMap<String, Audience>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// The classification of a policy, evidence record, identity or review that gives none;
    /// unset, the most restrictive `max_classification` of the audiences
    /// ([`crate::content::Content::default_classification`]).
    #[serde(default)]
    pub default_classification: Option<Classification>,
    /// How pages print.
    #[serde(default)]
    pub print: PrintSettings,
    /// Raw exports from the systems of record (`sources:`, see `docs/content-format.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<crate::sources::SourceDecl<Classification>>,
    /// The pack's own risk method (scales, formula, bands, appetite); the default when absent.
    #[serde(default)]
    pub risk_method: Option<crate::content::risk_method::RiskMethod>,
    /// Document control of the Statement of Applicability.
    #[serde(default)]
    pub soa_document: Option<DocumentControl>,
    /// Whether the SoA must carry document control (an error without it).
    #[serde(default)]
    pub document_control_required: bool,
    /// The context of the organisation (ISO 27001 4.1, 4.2, 4.3 interfaces).
    #[serde(default)]
    pub context: Option<Context>,
    /// Working days and holidays: the days a daily control is expected to run.
    #[serde(default)]
    pub calendar: CalendarSettings,
    /// How the ISO bundle orders the risk register (by id unless it says `score`).
    #[serde(default)]
    pub risk_register: RiskRegisterSettings,
}

/// The organisation a pack describes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Legal or trading name.
    pub name: String,
    /// Public website.
    #[serde(default)]
    pub website: Option<String>,
}

/// The ISMS scope (ISO 27001 clause 4.3).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// What the ISMS covers (Markdown).
    pub statement: String,
    /// Systems, locations and teams in scope.
    #[serde(default)]
    pub boundaries: Vec<String>,
    /// What is left out of scope, with reasons.
    #[serde(default)]
    pub exclusions: Vec<ScopeExclusion>,
}

/// One item left out of the ISMS scope.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeExclusion {
    /// What is excluded.
    pub item: String,
    /// Why.
    pub reason: String,
}

/// A closed date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

impl Period {
    /// Is `day` inside the period (both ends included)?
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// `soc2:` settings in pack.yaml.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Soc2Settings {
    /// Trust services categories in scope; security is always in.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Published seed of the deterministic sample selection.
    #[serde(default)]
    pub sampling_seed: Option<String>,
    /// Overrides of the default sample-size table, by frequency: a size, or `by-population`.
    #[serde(default)]
    pub sample_sizes: BTreeMap<Frequency, SizeSetting>,
    /// Sample size → larger size drawn when the first sample finds a deviation (`25: 40`).
    #[serde(default)]
    pub extend_on_deviation: BTreeMap<u32, u32>,
    /// A seed committed to the auditor's nonce and every population (replaces `sampling_seed`).
    #[serde(default)]
    pub seed_commitment: Option<SeedCommitment>,
}

/// `soc2.seed_commitment`: the final seed is SHA-256 over the auditor's nonce and the digest of
/// every population in scope.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitment {
    /// The nonce the auditor provides at fieldwork.
    pub nonce: String,
}

/// `secrets:` settings in pack.yaml.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretSettings {
    /// Fingerprints of reviewed false positives.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// A published audience.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// The most sensitive classification this audience may receive.
    pub max_classification: Classification,
    /// The sections of the bundles it receives (the overview always). Unset: every section,
    /// except for the `customer` audience, which then gets the overview, scope, SoA, policies,
    /// controls, NIST CSF, system description and criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<crate::content::sections::Section>>,
}

/// A person in `people.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Short id used by other records.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Work email.
    #[serde(default)]
    pub email: Option<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// What the source systems call this person: system key (`github`, `aws`, `jira`, or a
    /// generic CSV's system) to an account name, or a list of them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, AccountNames>,
}

/// The accounts of one system in an `accounts:` map: one name, or a list (a second, admin
/// account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AccountNames {
    /// One account.
    One(String),
    /// Several accounts.
    Many(Vec<String>),
}

impl AccountNames {
    /// Every account name.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let names: &[String] = match self {
            AccountNames::One(name) => std::slice::from_ref(name),
            AccountNames::Many(names) => names,
        };
        names.iter().map(String::as_str)
    }
}

/// A policy's front matter; the body is Markdown.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    /// Policy id, e.g. `POL-AC`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Accountable person.
    pub owner: String,
    /// Approver.
    pub approved_by: String,
    /// Approval date.
    pub approved_on: NaiveDate,
    /// Version label.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub version: String,
    /// Months between reviews.
    #[serde(default = "default_review_interval")]
    pub review_interval_months: u32,
    /// Classification.
    #[serde(default)]
    pub classification: Classification,
    /// Controls that implement the policy.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// ISO 27001 clauses whose documented information the policy is (`5.2`, `6.1.2`).
    #[serde(default, deserialize_with = "strings_or_numbers")]
    #[schemars(with = "Vec<crate::content::schema::TextOrNumber>")]
    pub clauses: Vec<String>,
    /// Change history, newest or oldest first as the author keeps it (ISO 27001 7.5.3).
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

fn default_review_interval() -> u32 {
    12
}

/// A control of the one control set, mapped to every framework in scope.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// Control id, e.g. `AC-02`.
    pub id: String,
    /// Title.
    pub title: String,
    /// What the control does (Markdown).
    pub description: String,
    /// Accountable person.
    pub owner: String,
    /// Person who performs it.
    pub operator: String,
    /// How often it operates.
    pub frequency: Frequency,
    /// Whether it is automated.
    #[serde(default)]
    pub automated: bool,
    /// Policies it implements.
    #[serde(default)]
    pub policies: Vec<String>,
    /// Framework key → ids in that framework.
    #[serde(default)]
    pub maps: BTreeMap<String, Vec<String>>,
    /// What the SOC 2 tester does with each sample (Markdown).
    #[serde(default)]
    pub test_procedure: Option<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
    /// The SOC 2 test of the control: nature, procedure, attributes, controls relied on.
    #[serde(default)]
    pub test: Option<TestDeclaration>,
    /// ISO 27001 clauses whose process the control operates (management review is `9.3`, not
    /// an Annex A control); its evidence is that clause's documented information.
    #[serde(default, deserialize_with = "strings_or_numbers")]
    #[schemars(with = "Vec<crate::content::schema::TextOrNumber>")]
    pub clauses: Vec<String>,
}

/// One Statement of Applicability decision.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoaDecision {
    /// Annex A control id, e.g. `5.23`.
    #[serde(deserialize_with = "string_or_number")]
    #[schemars(with = "crate::content::schema::TextOrNumber")]
    pub annex_a: String,
    /// `false` excludes the control; absent or `true` keeps it applicable.
    #[serde(default)]
    pub applicable: Option<bool>,
    /// Why it is excluded (required for exclusions).
    #[serde(default)]
    pub justification: Option<String>,
    /// A note for the SoA.
    #[serde(default)]
    pub note: Option<String>,
    /// Why it is included: risks it treats, by id (besides those found through its controls).
    #[serde(default)]
    pub risks: Vec<String>,
    /// Why it is included: legal, statutory, regulatory or contractual requirements.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Why it is included: the business need.
    #[serde(default)]
    pub business_need: Option<String>,
    /// The implementation status the organisation declares.
    #[serde(default)]
    pub implementation: Option<Implementation>,
    /// When a planned (or partial) implementation is due to be complete.
    #[serde(default)]
    pub planned_for: Option<NaiveDate>,
}

/// The implementation status of an Annex A control, as the organisation declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Implementation {
    /// In place.
    Implemented,
    /// Partly in place.
    Partial,
    /// Not yet in place; `planned_for` says when.
    Planned,
}

/// Accept `"3.1"` and `3.1` alike for version-like fields.
fn string_or_number<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
        Float(f64),
    }
    Ok(match Raw::deserialize(de)? {
        Raw::Text(s) => s,
        Raw::Int(i) => i.to_string(),
        Raw::Float(f) => f.to_string(),
    })
}

/// Accept `["9.3", 5.2]` alike for lists of clause ids.
fn strings_or_numbers<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct One(#[serde(deserialize_with = "string_or_number")] String);
    Ok(Vec::<One>::deserialize(de)?
        .into_iter()
        .map(|o| o.0)
        .collect())
}
