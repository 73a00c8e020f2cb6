//! Audience sections: which parts of the bundles a pack built for one audience holds.
//!
//! `audiences.<name>.sections` in pack.yaml lists them from a closed set ([`Section`]); every
//! page and file of the bundles belongs to one section, or to none (the redaction log, the
//! assets), and two sections are parts of a page (the ISO overview's scope, the SOC 2
//! overview's draft assertion). An audience without `sections:` gets its default
//! ([`Sections::declared`]): the `customer` audience the customer set ([`CUSTOMER`]), every other
//! audience (the `auditor` included) every section, as before sections existed. The overview is
//! always shown: it is each bundle's entry page.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A part of the bundles an audience may receive (pack.yaml spells them in kebab-case).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// Both bundles' overview pages (always shown).
    Overview,
    /// The ISMS scope (clause 4.3) on the ISO overview: statement, boundaries, exclusions.
    Scope,
    /// The ISO clause index of documented information.
    Clauses,
    /// Context and leadership and every policy page (the policies the audience's ceiling lets
    /// it see; the others are withheld records), in both bundles.
    Policies,
    /// The risk register and every risk page, in both bundles.
    Risks,
    /// The Statement of Applicability.
    Soa,
    /// The controls with their framework mappings, status and tests, in both bundles
    /// (`controls.csv` too).
    Controls,
    /// Non-human identities and their rotations, in both bundles.
    Identities,
    /// The ISMS's own records and its performance evaluation and improvement: objectives,
    /// competence, operational planning, changes, monitoring, the internal audit programme,
    /// management reviews, nonconformities and actions (ISO `isms/`, `improvement.html`,
    /// `reviews/`).
    Reviews,
    /// Every evidence record's page, the evidence index, and the attachments and source exports
    /// (`files/`), in both bundles.
    Evidence,
    /// The NIST CSF 2.0 profile.
    NistCsf,
    /// The SOC 2 system description (DC 200).
    SystemDescription,
    /// The SOC 2 trust services criteria and the controls, CUECs and CSOCs that address each.
    Criteria,
    /// The SOC 2 exceptions page, and the exception details on the control pages.
    Exceptions,
    /// The SOC 2 sampling method, seed and populations, and each control's population,
    /// provenance and sample table.
    Sampling,
    /// The SOC 2 request list of sampled items without evidence (page and CSV).
    RequestList,
    /// Management's draft assertion on the SOC 2 overview.
    Assertion,
}

/// Every section, in the order the documentation lists them.
pub const ALL: [Section; 17] = [
    Section::Overview,
    Section::Scope,
    Section::Clauses,
    Section::Policies,
    Section::Risks,
    Section::Soa,
    Section::Controls,
    Section::Identities,
    Section::Reviews,
    Section::Evidence,
    Section::NistCsf,
    Section::SystemDescription,
    Section::Criteria,
    Section::Exceptions,
    Section::Sampling,
    Section::RequestList,
    Section::Assertion,
];

/// What the `customer` audience receives when pack.yaml gives it no `sections:`: the overview,
/// the scope, the SoA, the policies, the controls with their framework mappings and status, the
/// NIST CSF profile, and the SOC 2 system description and criteria (the SOC 2 side of scope and
/// mappings); not the risk register, identities, reviews, evidence, exceptions, sampling,
/// request list, clause index or the draft assertion.
pub const CUSTOMER: [Section; 8] = [
    Section::Overview,
    Section::Scope,
    Section::Soa,
    Section::Policies,
    Section::Controls,
    Section::NistCsf,
    Section::SystemDescription,
    Section::Criteria,
];

impl Section {
    /// Its name as pack.yaml writes it (`nist-csf`).
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::Scope => "scope",
            Section::Clauses => "clauses",
            Section::Policies => "policies",
            Section::Risks => "risks",
            Section::Soa => "soa",
            Section::Controls => "controls",
            Section::Identities => "identities",
            Section::Reviews => "reviews",
            Section::Evidence => "evidence",
            Section::NistCsf => "nist-csf",
            Section::SystemDescription => "system-description",
            Section::Criteria => "criteria",
            Section::Exceptions => "exceptions",
            Section::Sampling => "sampling",
            Section::RequestList => "request-list",
            Section::Assertion => "assertion",
        }
    }
}

/// The sections one audience receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sections(BTreeSet<Section>);

impl Sections {
    /// Every section (the auditor's, and any audience's that declares none but `customer`).
    pub fn all() -> Sections {
        Sections(ALL.into_iter().collect())
    }

    /// The sections of the audience `name` whose pack.yaml entry lists `declared` (`None` when
    /// it gives no `sections:`); the overview always.
    pub fn declared(name: &str, declared: Option<&[Section]>) -> Sections {
        let mut set: BTreeSet<Section> = match declared {
            Some(list) => list.iter().copied().collect(),
            None if name == "customer" => CUSTOMER.into_iter().collect(),
            None => return Sections::all(),
        };
        set.insert(Section::Overview);
        Sections(set)
    }

    /// Does the audience receive `s`?
    pub fn shows(&self, s: Section) -> bool {
        self.0.contains(&s)
    }

    /// The sections it does not receive, in [`ALL`]'s order.
    pub fn withheld(&self) -> Vec<Section> {
        ALL.into_iter().filter(|s| !self.shows(*s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_all_is_complete() {
        for s in ALL {
            let yaml: Section = serde_json::from_value(serde_json::json!(s.as_str())).unwrap();
            assert_eq!(yaml, s);
        }
        let distinct: BTreeSet<Section> = ALL.into_iter().collect();
        assert_eq!(distinct.len(), ALL.len());
        assert!(serde_json::from_value::<Section>(serde_json::json!("risk")).is_err());
    }

    #[test]
    fn defaults_by_audience() {
        assert!(Sections::declared("auditor", None).withheld().is_empty());
        assert!(Sections::declared("board", None).withheld().is_empty());
        let customer = Sections::declared("customer", None);
        assert_eq!(
            customer.withheld(),
            [
                Section::Clauses,
                Section::Risks,
                Section::Identities,
                Section::Reviews,
                Section::Evidence,
                Section::Exceptions,
                Section::Sampling,
                Section::RequestList,
                Section::Assertion
            ]
        );
        assert!(customer.shows(Section::Soa) && customer.shows(Section::NistCsf));
        // A declared list replaces the default, and the overview is always in.
        let board = Sections::declared("customer", Some(&[Section::Risks]));
        assert!(board.shows(Section::Risks) && board.shows(Section::Overview));
        assert!(!board.shows(Section::Soa));
        assert_eq!(board.withheld().len(), ALL.len() - 2);
    }
}
