//! The ISO bundle's pages that gather many records: overview, context and leadership, the
//! Statement of Applicability, identities, improvement, the risk heat maps and the NIST CSF
//! profile.

use std::collections::{BTreeMap, HashMap};

use super::model::Model;
use super::views::{
    ActionView, CsfCategoryView, CsfFunctionView, CsfPage, CsfSubView, Health, IdentityCounts,
    Improvement, Leadership, Overview, ReviewView, RoleView, RuleCount, TimelineItem, WarningView,
};
use super::warnings;
use crate::content::catalog::{self, catalogs};
use crate::content::model::{Outcome, ReviewKind, Status};
use crate::render::views::Titled;
use crate::render::{record_page, slug};

impl<'a> Model<'a> {
    pub(super) fn overview(&self) -> Overview<'_> {
        let c = self.content;
        let pack = c.pack.as_ref().map(|p| &p.value);
        let soa = self.soa_rows();
        let applicable = soa.iter().filter(|r| r.applicable).count();
        let nonconformities_open = self
            .reviews
            .iter()
            .filter(|r| r.kind == ReviewKind::Nonconformity && r.status == Status::Open)
            .count();
        let actions: Vec<&ActionView> = self.reviews.iter().flat_map(|r| &r.actions).collect();
        let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for w in self.source.warnings {
            *by_rule.entry((w.code, w.rule)).or_default() += 1;
        }
        Overview {
            organisation: pack.map(|p| p.organisation.name.as_str()).unwrap_or(""),
            website: pack.and_then(|p| p.organisation.website.as_deref()),
            scope_statement: pack.map(|p| p.scope.statement.as_str()).unwrap_or(""),
            boundaries: pack.map(|p| p.scope.boundaries.as_slice()).unwrap_or(&[]),
            exclusions: pack
                .map(|p| {
                    p.scope
                        .exclusions
                        .iter()
                        .map(|e| (e.item.as_str(), e.reason.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            frameworks: pack
                .map(|p| p.frameworks.iter().map(|f| framework_name(f)).collect())
                .unwrap_or_default(),
            health: Health {
                policies: self.policies.len(),
                policies_overdue: self.policies.iter().filter(|p| p.review_overdue).count(),
                controls: self.controls.len(),
                controls_evidenced: self
                    .controls
                    .iter()
                    .filter(|c| c.evidence_in_period > 0)
                    .count(),
                annex_applicable: applicable,
                annex_excluded: soa.len() - applicable,
                annex_gaps: soa.iter().filter(|r| r.status == "gap").count(),
                risks: self.risks.len(),
                risks_high_residual: self.risks_high_residual(),
                evidence: c.evidence.len(),
                evidence_in_period: c
                    .evidence
                    .iter()
                    .filter(|e| self.in_period(e.value.occurred_on))
                    .count(),
                exceptions: c
                    .evidence
                    .iter()
                    .filter(|e| e.value.result == Outcome::Exception)
                    .count(),
                identities: self.identities.len(),
                identities_overdue: self
                    .identities
                    .iter()
                    .filter(|i| i.status == "overdue")
                    .count(),
                nonconformities_open,
                actions_open: actions.iter().filter(|a| a.status == Status::Open).count(),
                actions_overdue: actions.iter().filter(|a| a.overdue).count(),
                warnings: self.source.warnings.len(),
            },
            warnings_by_rule: by_rule
                .into_iter()
                .map(|((code, rule), count)| RuleCount { code, rule, count })
                .collect(),
            warnings: self
                .source
                .warnings
                .iter()
                .map(|w| WarningView {
                    code: w.code,
                    rule: w.rule,
                    message: warnings::parts(self.source, w),
                    file: w
                        .path
                        .strip_prefix(&*self.content.root.to_string_lossy())
                        .map(|s| s.trim_start_matches('/'))
                        .unwrap_or(&w.path),
                    line: w.line,
                })
                .collect(),
        }
    }

    pub(super) fn leadership(&self) -> Leadership<'_> {
        let mut roles: BTreeMap<&str, RoleView> = BTreeMap::new();
        for p in &self.content.people {
            roles.insert(
                &p.value.id,
                RoleView {
                    person: self.person(&p.value.id),
                    policies_owned: 0,
                    policies_approved: 0,
                    controls_owned: 0,
                    controls_operated: 0,
                    risks_owned: 0,
                },
            );
        }
        for p in &self.policies {
            if let Some(r) = roles.get_mut(p.owner.id) {
                r.policies_owned += 1;
            }
            if let Some(r) = roles.get_mut(p.approved_by.id) {
                r.policies_approved += 1;
            }
        }
        for c in &self.controls {
            if let Some(r) = roles.get_mut(c.owner.id) {
                r.controls_owned += 1;
            }
            if let Some(r) = roles.get_mut(c.operator.id) {
                r.controls_operated += 1;
            }
        }
        for k in &self.risks {
            if let Some(r) = roles.get_mut(k.owner.id) {
                r.risks_owned += 1;
            }
        }
        let mut roles: Vec<RoleView> = roles.into_values().collect();
        roles.sort_by(|a, b| a.person.name.cmp(b.person.name));
        Leadership {
            policies: &self.policies,
            roles,
            scope_statement: self
                .content
                .pack
                .as_ref()
                .map(|p| p.value.scope.statement.as_str())
                .unwrap_or(""),
            context: self
                .content
                .pack
                .as_ref()
                .and_then(|p| p.value.context.as_ref()),
        }
    }

    pub(super) fn identity_counts(&self) -> IdentityCounts {
        let count = |s: &str| self.identities.iter().filter(|i| i.status == s).count();
        IdentityCounts {
            total: self.identities.len(),
            on_time: count("on-time"),
            late: count("late"),
            overdue: count("overdue"),
            age_not_evidenced: count("age-not-evidenced"),
            decommissioned: count("decommissioned"),
            unowned: self.identities.iter().filter(|i| i.owner.is_none()).count(),
        }
    }

    pub(super) fn improvement(&self) -> Improvement<'_> {
        let of = |k: ReviewKind| -> Vec<&ReviewView> {
            self.reviews.iter().filter(|r| r.kind == k).collect()
        };
        let mut actions: Vec<&ActionView> = self.reviews.iter().flat_map(|r| &r.actions).collect();
        actions.sort_by(|a, b| (a.due, a.id).cmp(&(b.due, b.id)));
        let mut timeline: Vec<TimelineItem> = self
            .reviews
            .iter()
            .map(|r| TimelineItem {
                date: r.date,
                id: r.id,
                href: record_page("reviews", r.id),
                what: r.kind_label,
                title: r.title.clone(),
                status: if r.status == Status::Open {
                    "open"
                } else {
                    "closed"
                },
            })
            .chain(actions.iter().map(|a| TimelineItem {
                date: a.due,
                id: a.id,
                href: format!("reviews/{}.html#action-{}", slug(a.review), slug(a.id)),
                what: "Action due",
                title: a.title.unwrap_or("").to_string(),
                status: if a.overdue {
                    "overdue"
                } else if a.status == Status::Open {
                    "open"
                } else {
                    "closed"
                },
            }))
            .collect();
        timeline.sort_by(|a, b| (a.date, a.id).cmp(&(b.date, b.id)));
        Improvement {
            audits: of(ReviewKind::InternalAudit),
            management_reviews: of(ReviewKind::ManagementReview),
            nonconformities: of(ReviewKind::Nonconformity),
            corrective_actions: of(ReviewKind::CorrectiveAction),
            actions,
            timeline,
        }
    }

    /// The evidence index (counts and one line per calendar month) and one page per month that
    /// holds records, each listing that month's records in date order: a pack of 100,000
    /// records would otherwise be one page of tens of megabytes.
    pub(super) fn csf(&self) -> CsfPage<'a> {
        let cat = catalogs();
        let mut covering: HashMap<&str, Vec<Titled>> = HashMap::new();
        for c in &self.controls {
            for m in &c.csf {
                covering.entry(m.id).or_default().push(Titled {
                    id: c.id,
                    title: c.title,
                });
            }
        }
        let mut total = 0;
        let mut covered_total = 0;
        let functions = cat
            .csf
            .functions
            .iter()
            .map(|f| {
                let categories: Vec<CsfCategoryView> = cat
                    .csf
                    .categories
                    .iter()
                    .filter(|c| c.function == f.id)
                    .map(|c| {
                        let subcategories: Vec<CsfSubView> = cat
                            .csf
                            .subcategories
                            .iter()
                            .filter(|s| s.category == c.id)
                            .map(|s| {
                                let controls =
                                    covering.get(s.id.as_str()).cloned().unwrap_or_default();
                                let iso = cat.crosswalk.iso_for(&s.id);
                                CsfSubView {
                                    id: &s.id,
                                    text: &s.text,
                                    covered: !controls.is_empty(),
                                    controls,
                                    iso_annex: iso
                                        .map(|r| {
                                            r.annex_a
                                                .iter()
                                                .map(|a| Titled {
                                                    id: a,
                                                    title: cat
                                                        .title(catalog::ISO27001, a)
                                                        .unwrap_or(""),
                                                })
                                                .collect()
                                        })
                                        .unwrap_or_default(),
                                    iso_clauses: iso
                                        .map(|r| r.clauses.iter().map(String::as_str).collect())
                                        .unwrap_or_default(),
                                }
                            })
                            .collect();
                        let covered = subcategories.iter().filter(|s| s.covered).count();
                        CsfCategoryView {
                            id: &c.id,
                            name: &c.name,
                            total: subcategories.len(),
                            covered,
                            subcategories,
                        }
                    })
                    .collect();
                let t: usize = categories.iter().map(|c| c.total).sum();
                let cov: usize = categories.iter().map(|c| c.covered).sum();
                total += t;
                covered_total += cov;
                CsfFunctionView {
                    id: &f.id,
                    name: &f.name,
                    text: &f.text,
                    total: t,
                    covered: cov,
                    categories,
                }
            })
            .collect();
        CsfPage {
            functions,
            total,
            covered: covered_total,
        }
    }
}

fn framework_name(key: &str) -> &str {
    match key {
        catalog::ISO27001 => "ISO/IEC 27001:2022",
        catalog::SOC2 => "SOC 2 (AICPA Trust Services Criteria 2017)",
        catalog::CSF => "NIST Cybersecurity Framework 2.0",
        other => other,
    }
}
