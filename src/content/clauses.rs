//! The documented information ISO/IEC 27001:2022 requires, by clause, and where a pack keeps it.
//!
//! Clause ids and titles are those of `data/iso27001-2022.yaml` (from
//! `/work/shared/reference/iso27001-2022.yaml`); which clauses require documented information is
//! the list of issue 13, the same as public lists of the standard's mandatory documents and
//! records (scope 4.3, policy 5.2, risk assessment process 6.1.2, risk treatment process and SoA
//! 6.1.3, objectives 6.2, competence 7.2, documented information 7.5, operational planning 8.1,
//! risk assessment and treatment results 8.2 and 8.3, monitoring results 9.1, audit programme and
//! results 9.2, management review results 9.3, nonconformities and corrective actions 10.2).

use super::model::{EvidenceKind, ReviewKind};
use super::Content;

/// Where a piece of documented information is found in a pack, besides records mapped to its
/// clause with `clauses:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The scope statement of pack.yaml.
    Scope,
    /// The declared risk method (`risk_method:`).
    RiskMethod,
    /// soa.yaml.
    Soa,
    /// Evidence records of this kind.
    Evidence(EvidenceKind),
    /// Policies (with version and approval).
    Policies,
    /// The risk register.
    Risks,
    /// Risks with a residual score or a treatment plan.
    Treatment,
    /// Review records of this kind.
    Reviews(ReviewKind),
    /// Objectives under `isms/` (6.2).
    Objectives,
    /// Roles and their competence under `isms/` (7.2).
    Competence,
    /// Operational processes under `isms/` (8.1).
    Operations,
    /// Planned changes under `isms/` (6.3, controlled under 8.1).
    Changes,
    /// Measurements under `isms/` (9.1).
    Monitoring,
    /// The internal audit programme under `isms/` (9.2.2).
    AuditProgramme,
    /// Only records mapped with `clauses:`.
    Mapped,
}

/// One piece of documented information the standard requires.
#[derive(Debug, Clone, Copy)]
pub struct Required {
    /// The clause (`6.1.3`).
    pub clause: &'static str,
    /// What is required.
    pub what: &'static str,
    /// Where a pack keeps it.
    pub found: &'static [Found],
}

/// Every piece of documented information ISO/IEC 27001:2022 requires, in clause order.
pub const REQUIRED: &[Required] = &[
    Required {
        clause: "4.3",
        what: "Scope of the ISMS",
        found: &[Found::Scope],
    },
    Required {
        clause: "5.2",
        what: "Information security policy",
        found: &[Found::Mapped],
    },
    Required {
        clause: "6.1.2",
        what: "Information security risk assessment process",
        found: &[Found::RiskMethod],
    },
    Required {
        clause: "6.1.3",
        what: "Risk treatment process and Statement of Applicability",
        found: &[Found::Soa],
    },
    Required {
        clause: "6.2",
        what: "Information security objectives",
        found: &[Found::Objectives],
    },
    Required {
        clause: "7.2",
        what: "Evidence of competence",
        found: &[Found::Competence, Found::Evidence(EvidenceKind::Training)],
    },
    Required {
        clause: "7.5",
        what: "Documented information determined as necessary for the ISMS, under document control",
        found: &[Found::Policies],
    },
    Required {
        clause: "8.1",
        what:
            "Operational planning and control: evidence that processes were carried out as planned",
        found: &[Found::Operations, Found::Changes],
    },
    Required {
        clause: "8.2",
        what: "Results of the information security risk assessments",
        found: &[Found::Risks],
    },
    Required {
        clause: "8.3",
        what: "Results of the information security risk treatment",
        found: &[Found::Treatment],
    },
    Required {
        clause: "9.1",
        what: "Monitoring and measurement results",
        found: &[Found::Monitoring],
    },
    Required {
        clause: "9.2",
        what: "Audit programme and audit results",
        found: &[
            Found::AuditProgramme,
            Found::Reviews(ReviewKind::InternalAudit),
        ],
    },
    Required {
        clause: "9.3",
        what: "Results of management reviews",
        found: &[Found::Reviews(ReviewKind::ManagementReview)],
    },
    Required {
        clause: "10.2",
        what: "Nonconformities, actions taken and results of corrective action",
        found: &[
            Found::Reviews(ReviewKind::Nonconformity),
            Found::Reviews(ReviewKind::CorrectiveAction),
        ],
    },
];

/// Does the pack hold `found` (not counting records mapped with `clauses:`)?
pub fn holds(content: &Content, found: Found) -> bool {
    let pack = content.pack.as_ref().map(|p| &p.value);
    match found {
        Found::Scope => pack.is_some_and(|p| !p.scope.statement.trim().is_empty()),
        Found::RiskMethod => pack.is_some_and(|p| p.risk_method.is_some()),
        Found::Soa => !content.soa.is_empty(),
        Found::Evidence(kind) => content.evidence.iter().any(|e| e.value.kind == kind),
        Found::Policies => !content.policies.is_empty(),
        Found::Risks => !content.risks.is_empty(),
        Found::Treatment => content
            .risks
            .iter()
            .any(|r| r.value.residual.is_some() || !r.value.treatment_plan.is_empty()),
        Found::Reviews(kind) => content.reviews.iter().any(|d| d.meta.kind == kind),
        Found::Objectives => content.isms.iter().any(|r| !r.value.objectives.is_empty()),
        Found::Competence => content.isms.iter().any(|r| !r.value.competence.is_empty()),
        Found::Operations => content.isms.iter().any(|r| !r.value.operations.is_empty()),
        Found::Changes => content.isms.iter().any(|r| !r.value.changes.is_empty()),
        Found::Monitoring => content.isms.iter().any(|r| !r.value.monitoring.is_empty()),
        Found::AuditProgramme => content
            .isms
            .iter()
            .any(|r| r.value.audit_programme.is_some()),
        Found::Mapped => false,
    }
}

/// Is any policy or control mapped to `clause` with `clauses:`?
pub fn mapped(content: &Content, clause: &str) -> bool {
    content
        .policies
        .iter()
        .any(|d| d.meta.clauses.iter().any(|c| c == clause))
        || content
            .controls
            .iter()
            .any(|r| r.value.clauses.iter().any(|c| c == clause))
}

/// The required documented information the pack does not hold.
pub fn missing(content: &Content) -> Vec<&'static Required> {
    REQUIRED
        .iter()
        .filter(|r| !mapped(content, r.clause) && !r.found.iter().any(|&f| holds(content, f)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::catalog::catalogs;

    #[test]
    fn every_required_clause_is_in_the_catalog() {
        let iso = &catalogs().iso;
        for r in REQUIRED {
            assert!(iso.clause(r.clause).is_some(), "{}", r.clause);
        }
        assert_eq!(REQUIRED.len(), 14);
    }

    #[test]
    fn an_empty_pack_misses_everything() {
        let content = Content::default();
        assert_eq!(missing(&content).len(), REQUIRED.len());
    }
}
