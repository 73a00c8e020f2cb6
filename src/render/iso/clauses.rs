//! The clause index: every piece of documented information ISO/IEC 27001:2022 requires
//! ([`crate::content::clauses::REQUIRED`]), where it is in the bundle, and which are missing.

use serde::Serialize;

use super::model::Model;
use crate::content::catalog::catalogs;
use crate::content::clauses::{holds, Found, REQUIRED};
use crate::content::model::{EvidenceKind, IsmsFile};
use crate::render::record_page;

/// A place in the bundle.
#[derive(Serialize)]
pub(super) struct Where {
    pub(super) label: String,
    pub(super) href: String,
}

/// One required piece of documented information.
#[derive(Serialize)]
pub(super) struct ClauseRow {
    pub(super) clause: &'static str,
    pub(super) title: &'static str,
    pub(super) what: &'static str,
    pub(super) found: Vec<Where>,
}

/// The clause index page.
#[derive(Serialize)]
pub(super) struct ClausesPage {
    pub(super) rows: Vec<ClauseRow>,
    pub(super) missing: usize,
}

impl Model<'_> {
    /// Where the pack keeps `found`.
    fn places(&self, found: Found) -> Vec<Where> {
        let w = |label: String, href: &str| Where {
            label,
            href: href.to_string(),
        };
        if !holds(self.content, found) {
            return Vec::new();
        }
        match found {
            Found::Scope => vec![w("ISMS scope (overview)".into(), "index.html")],
            Found::RiskMethod => vec![w("Risk method".into(), "risks/index.html")],
            Found::Soa => vec![w("Statement of Applicability".into(), "soa.html")],
            Found::Evidence(kind) => {
                let n = self
                    .content
                    .evidence
                    .iter()
                    .filter(|e| e.value.kind == kind)
                    .count();
                let what = if kind == EvidenceKind::Training {
                    "training"
                } else {
                    "evidence"
                };
                vec![w(format!("{n} {what} records"), "evidence/index.html")]
            }
            Found::Policies => vec![w(
                format!("{} policies under document control", self.policies.len()),
                "policies/index.html",
            )],
            Found::Risks => vec![w(
                format!("Risk register ({} risks)", self.risks.len()),
                "risks/index.html",
            )],
            Found::Treatment => vec![w(
                "Residual scores and treatment plans".into(),
                "risks/index.html",
            )],
            Found::Reviews(kind) => self
                .reviews
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| {
                    w(
                        format!("{} {}", r.id, r.title),
                        &record_page("reviews", r.id),
                    )
                })
                .collect(),
            Found::Objectives => {
                let n = self.isms_count(|f| f.objectives.len());
                vec![w(
                    format!("{n} objectives with their results"),
                    "isms/objectives.html",
                )]
            }
            Found::Competence => {
                let n = self.isms_count(|f| f.competence.len());
                vec![w(
                    format!("Competence of {n} roles"),
                    "isms/competence.html",
                )]
            }
            Found::Operations => {
                let n = self.isms_count(|f| f.operations.len());
                vec![w(
                    format!("{n} operational processes"),
                    "isms/operations.html",
                )]
            }
            Found::Changes => {
                let n = self.isms_count(|f| f.changes.len());
                vec![w(
                    format!("{n} planned changes"),
                    "isms/operations.html#changes",
                )]
            }
            Found::Monitoring => {
                let n = self.isms_count(|f| f.monitoring.len());
                vec![w(
                    format!("{n} measurements and their results"),
                    "isms/monitoring.html",
                )]
            }
            Found::AuditProgramme => vec![w(
                "Internal audit programme".into(),
                "isms/audit-programme.html",
            )],
            Found::Mapped => Vec::new(),
        }
    }

    /// How many records of one section the `isms/` files hold.
    fn isms_count(&self, count: impl Fn(&IsmsFile) -> usize) -> usize {
        self.content.isms.iter().map(|r| count(&r.value)).sum()
    }

    /// The clause index.
    pub(super) fn clauses(&self) -> ClausesPage {
        let iso = &catalogs().iso;
        let rows: Vec<ClauseRow> = REQUIRED
            .iter()
            .map(|r| {
                let mut found: Vec<Where> = r.found.iter().flat_map(|&f| self.places(f)).collect();
                for p in &self.policies {
                    let meta = self
                        .content
                        .policies
                        .iter()
                        .find(|d| d.meta.id == p.id)
                        .map(|d| &d.meta);
                    if meta.is_some_and(|m| m.clauses.iter().any(|c| c == r.clause)) {
                        found.push(Where {
                            label: format!("{} {}", p.id, p.title),
                            href: record_page("policies", p.id),
                        });
                    }
                }
                for (c, ctl) in self.content.controls.iter().enumerate() {
                    if ctl.value.clauses.iter().any(|x| x == r.clause) {
                        let v = &self.controls[c];
                        found.push(Where {
                            label: format!("{} {}", v.id, v.title),
                            href: record_page("controls", v.id),
                        });
                    }
                }
                ClauseRow {
                    clause: r.clause,
                    title: iso.clause(r.clause).map_or("", |c| c.title.as_str()),
                    what: r.what,
                    found,
                }
            })
            .collect();
        ClausesPage {
            missing: rows.iter().filter(|r| r.found.is_empty()).count(),
            rows,
        }
    }
}
