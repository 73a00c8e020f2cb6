//! The pages of the ISMS's own records (`isms/`): objectives (6.2), competence (7.2),
//! operational planning and planned changes (8.1, 6.3), monitoring and measurement (9.1) and the
//! internal audit programme (9.2). What is late or missed is judged at the date the pack is
//! evaluated at (`--as-of`, else the period's end), as `check` judges it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::model::Model;
use super::views::AnyRef;
use super::warnings::Message;
use crate::content::model::{
    ChangeStatus, EffectivenessResult, IsmsFile, ObjectiveStatus, ReviewKind, ReviewMeta, Status,
};
use crate::diag::RecordKind;
use crate::render::views::{PersonView, Titled};
use crate::render::{record_page, slug};

/// A link to a record of the bundle.
#[derive(Debug, Serialize)]
pub(super) struct Link<'a> {
    pub(super) id: &'a str,
    /// Bundle-relative; `None` when the record does not exist.
    pub(super) href: Option<String>,
    /// The record's title (empty when it does not exist, or for a link that shows none).
    pub(super) title: &'a str,
}

/// One result of an objective or a measurement.
#[derive(Debug, Serialize)]
pub(super) struct ResultView<'a> {
    pub(super) period: Option<&'a str>,
    pub(super) date: NaiveDate,
    pub(super) status: Option<&'static str>,
    pub(super) tone: &'static str,
    pub(super) value: &'a str,
    pub(super) evidence: Vec<Link<'a>>,
    pub(super) note: Option<&'a str>,
}

/// An objective.
#[derive(Debug, Serialize)]
pub(super) struct ObjectiveView<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) measure: &'a str,
    pub(super) target: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) due: NaiveDate,
    pub(super) plan: Option<&'a str>,
    pub(super) policy: Option<Link<'a>>,
    pub(super) evidence: Vec<Link<'a>>,
    pub(super) results: Vec<ResultView<'a>>,
    /// `met`, `not met`, `in progress`, `no result yet` or `overdue`.
    pub(super) status: &'static str,
    pub(super) tone: &'static str,
    pub(super) warnings: Vec<Message<'a>>,
}

/// The objectives page.
#[derive(Serialize)]
pub(super) struct ObjectivesPage<'a> {
    pub(super) objectives: Vec<ObjectiveView<'a>>,
    pub(super) met: usize,
    pub(super) missed: usize,
    pub(super) overdue: usize,
}

/// A role and its competence.
#[derive(Debug, Serialize)]
pub(super) struct RoleCompetence<'a> {
    pub(super) id: &'a str,
    pub(super) role: &'a str,
    pub(super) required: &'a str,
    /// Each person of the role with the role's evidence they performed.
    pub(super) people: Vec<(PersonView<'a>, Vec<Link<'a>>)>,
    /// The role's evidence performed by nobody in the role (a course for the team, a
    /// certificate filed by HR).
    pub(super) other_evidence: Vec<Link<'a>>,
    pub(super) warnings: Vec<Message<'a>>,
}

/// An operational process (8.1).
#[derive(Debug, Serialize)]
pub(super) struct ProcessView<'a> {
    pub(super) id: &'a str,
    pub(super) process: &'a str,
    pub(super) criteria: &'a str,
    pub(super) owner: PersonView<'a>,
    pub(super) controls: Vec<Titled<'a>>,
    pub(super) evidence: Vec<Link<'a>>,
    pub(super) warnings: Vec<Message<'a>>,
}

/// A planned change (6.3).
#[derive(Debug, Serialize)]
pub(super) struct ChangeView<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) date: NaiveDate,
    pub(super) purpose: &'a str,
    pub(super) consequences: Option<&'a str>,
    pub(super) owner: PersonView<'a>,
    pub(super) status: &'static str,
    pub(super) tone: &'static str,
    pub(super) evidence: Vec<Link<'a>>,
}

/// The operational planning page (8.1 and 6.3).
#[derive(Serialize)]
pub(super) struct OperationsPage<'a> {
    pub(super) processes: Vec<ProcessView<'a>>,
    pub(super) changes: Vec<ChangeView<'a>>,
}

/// A measurement (9.1).
#[derive(Debug, Serialize)]
pub(super) struct MeasurementView<'a> {
    pub(super) id: &'a str,
    pub(super) what: &'a str,
    pub(super) method: &'a str,
    pub(super) when: &'a str,
    pub(super) by: PersonView<'a>,
    pub(super) analysed_by: Option<PersonView<'a>>,
    pub(super) objective: Option<&'a str>,
    pub(super) results: Vec<ResultView<'a>>,
    pub(super) warnings: Vec<Message<'a>>,
}

/// One audit of the programme.
#[derive(Debug, Serialize)]
pub(super) struct AuditView<'a> {
    pub(super) id: &'a str,
    pub(super) planned: NaiveDate,
    pub(super) scope: &'a str,
    pub(super) clauses: &'a [String],
    pub(super) controls: Vec<Titled<'a>>,
    pub(super) auditor: PersonView<'a>,
    /// The report, with its title and date.
    pub(super) report: Option<(Link<'a>, String, Option<NaiveDate>)>,
    /// `done`, `planned` or `overdue`.
    pub(super) status: &'static str,
    pub(super) tone: &'static str,
    pub(super) warnings: Vec<Message<'a>>,
    /// The auditor owns and operates none of the controls the audit covers (9.2.2 c).
    pub(super) independent: bool,
}

/// The audits planned in one year of the cycle.
#[derive(Debug, Serialize)]
pub(super) struct AuditYear<'a> {
    pub(super) year: i32,
    pub(super) audits: Vec<AuditView<'a>>,
}

/// The audit programme page (9.2).
#[derive(Serialize)]
pub(super) struct ProgrammePage<'a> {
    pub(super) declared: bool,
    pub(super) cycle: Option<(NaiveDate, NaiveDate)>,
    pub(super) owner: Option<PersonView<'a>>,
    pub(super) frequency: Option<&'a str>,
    pub(super) years: Vec<AuditYear<'a>>,
    /// Clauses 4 to 10 covered by some audit of the cycle, and those none covers.
    pub(super) clauses_covered: Vec<&'a str>,
    pub(super) clauses_uncovered: Vec<&'static str>,
    /// Internal audit reviews that no audit of the programme names.
    pub(super) unplanned_reports: Vec<Link<'a>>,
}

/// A nonconformity's structured record (ISO 27001 10.2).
#[derive(Debug, Serialize)]
pub(super) struct NonconformityView<'a> {
    pub(super) what_happened: Option<&'a str>,
    pub(super) correction: Option<&'a str>,
    pub(super) root_cause: Option<&'a str>,
    /// Corrective-action reviews and actions, linked.
    pub(super) corrective_actions: Vec<AnyRef<'a>>,
    pub(super) owner: Option<PersonView<'a>>,
    pub(super) due: Option<NaiveDate>,
    pub(super) overdue: bool,
    pub(super) effectiveness: Option<EffectivenessView<'a>>,
}

/// The review of a nonconformity's corrective actions.
#[derive(Debug, Serialize)]
pub(super) struct EffectivenessView<'a> {
    pub(super) date: NaiveDate,
    pub(super) by: PersonView<'a>,
    pub(super) result: &'static str,
    pub(super) tone: &'static str,
    pub(super) note: Option<&'a str>,
    pub(super) evidence: Vec<Link<'a>>,
}

/// The main clauses an internal audit programme covers over a cycle.
const MAIN_CLAUSES: [&str; 7] = ["4", "5", "6", "7", "8", "9", "10"];

impl<'a> Model<'a> {
    /// Every `isms/` file.
    fn isms_files(&self) -> impl Iterator<Item = &'a IsmsFile> {
        self.content.isms.iter().map(|r| &r.value)
    }

    /// A link to evidence record `id`, with its title.
    fn evidence_link(&self, id: &'a str) -> Link<'a> {
        let record = self
            .index
            .evidence
            .get(id)
            .map(|&e| &self.content.evidence[e].value);
        Link {
            id,
            href: record.map(|_| record_page("evidence", id)),
            title: record.map_or("", |e| e.title.as_str()),
        }
    }

    fn evidence_links(&self, ids: &'a [String]) -> Vec<Link<'a>> {
        ids.iter().map(|id| self.evidence_link(id)).collect()
    }

    /// The controls `ids` that exist, with their titles.
    fn control_refs(&self, ids: &'a [String]) -> Vec<Titled<'a>> {
        ids.iter()
            .filter_map(|id| self.index.controls.get(id.as_str()))
            .map(|&c| {
                let v = &self.content.controls[c].value;
                Titled {
                    id: &v.id,
                    title: &v.title,
                }
            })
            .collect()
    }

    /// The structured record of a nonconformity (`None` for other reviews that carry none of
    /// its fields).
    pub(super) fn nonconformity(&self, m: &'a ReviewMeta) -> Option<NonconformityView<'a>> {
        let structured = m.what_happened.is_some()
            || m.correction.is_some()
            || m.root_cause.is_some()
            || !m.corrective_actions.is_empty()
            || m.owner.is_some()
            || m.due.is_some()
            || m.effectiveness.is_some();
        if m.kind != ReviewKind::Nonconformity && !structured {
            return None;
        }
        let as_of = self.content.as_of();
        let corrective_actions = m
            .corrective_actions
            .iter()
            .map(|id| {
                if self.index.reviews.contains_key(id.as_str()) {
                    return AnyRef {
                        id,
                        kind: "corrective action",
                        href: Some(record_page("reviews", id)),
                    };
                }
                let holder = self
                    .content
                    .reviews
                    .iter()
                    .find(|d| d.meta.actions.iter().any(|a| &a.id == id));
                AnyRef {
                    id,
                    kind: "action",
                    href: holder.map(|d| {
                        format!("{}#action-{}", record_page("reviews", &d.meta.id), slug(id))
                    }),
                }
            })
            .collect();
        Some(NonconformityView {
            what_happened: m.what_happened.as_deref(),
            correction: m.correction.as_deref(),
            root_cause: m.root_cause.as_deref(),
            corrective_actions,
            owner: m.owner.as_deref().map(|p| self.person(p)),
            due: m.due,
            overdue: m.status == Status::Open
                && m.due.is_some_and(|due| as_of.is_some_and(|d| due < d)),
            effectiveness: m.effectiveness.as_ref().map(|e| {
                let (result, tone) = match e.result {
                    EffectivenessResult::Effective => ("effective", "pass"),
                    EffectivenessResult::NotEffective => ("not effective", "exception"),
                };
                EffectivenessView {
                    date: e.date,
                    by: self.person(&e.by),
                    result,
                    tone,
                    note: e.note.as_deref(),
                    evidence: self.evidence_links(&e.evidence),
                }
            }),
        })
    }

    /// The objectives page.
    pub(super) fn objectives_page(&self) -> ObjectivesPage<'a> {
        let as_of = self.content.as_of();
        let objectives: Vec<ObjectiveView> = self
            .isms_files()
            .flat_map(|f| &f.objectives)
            .map(|o| {
                let results: Vec<ResultView> = o
                    .results
                    .iter()
                    .map(|r| {
                        let (status, tone) = objective_status(r.status);
                        ResultView {
                            period: Some(&r.period),
                            date: r.date,
                            status: Some(status),
                            tone,
                            value: &r.value,
                            evidence: self.evidence_links(&r.evidence),
                            note: r.note.as_deref(),
                        }
                    })
                    .collect();
                let latest = o
                    .results
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| as_of.is_none_or(|d| r.date <= d))
                    .max_by_key(|(j, r)| (r.date, *j))
                    .map(|(_, r)| r.status);
                let past_due = as_of.is_some_and(|d| o.due < d);
                let (status, tone) = match latest {
                    Some(ObjectiveStatus::Met) => ("met", "pass"),
                    Some(ObjectiveStatus::NotMet) => ("not met", "exception"),
                    _ if past_due => ("overdue", "overdue"),
                    Some(ObjectiveStatus::InProgress) => ("in progress", "due"),
                    None => ("no result yet", "neutral"),
                };
                ObjectiveView {
                    id: &o.id,
                    title: &o.title,
                    measure: &o.measure,
                    target: &o.target,
                    owner: self.person(&o.owner),
                    due: o.due,
                    plan: o.plan.as_deref(),
                    policy: o.policy.as_deref().map(|p| Link {
                        id: p,
                        title: "",
                        href: self
                            .index
                            .policies
                            .contains_key(p)
                            .then(|| record_page("policies", p)),
                    }),
                    evidence: self.evidence_links(&o.evidence),
                    results,
                    status,
                    tone,
                    warnings: self.warnings(RecordKind::Isms, &o.id),
                }
            })
            .collect();
        ObjectivesPage {
            met: objectives.iter().filter(|o| o.status == "met").count(),
            missed: objectives.iter().filter(|o| o.status == "not met").count(),
            overdue: objectives.iter().filter(|o| o.status == "overdue").count(),
            objectives,
        }
    }

    /// The competence page.
    pub(super) fn competence_page(&self) -> Vec<RoleCompetence<'a>> {
        self.isms_files()
            .flat_map(|f| &f.competence)
            .map(|role| {
                let performer = |id: &str| {
                    self.index
                        .evidence
                        .get(id)
                        .map(|&e| self.content.evidence[e].value.performed_by.as_str())
                };
                let people = role
                    .people
                    .iter()
                    .map(|p| {
                        let own = role
                            .evidence
                            .iter()
                            .filter(|e| performer(e) == Some(p.as_str()))
                            .map(|e| self.evidence_link(e))
                            .collect();
                        (self.person(p), own)
                    })
                    .collect();
                let other_evidence = role
                    .evidence
                    .iter()
                    .filter(|e| !performer(e).is_some_and(|by| role.people.iter().any(|p| p == by)))
                    .map(|e| self.evidence_link(e))
                    .collect();
                RoleCompetence {
                    id: &role.id,
                    role: &role.role,
                    required: &role.required,
                    people,
                    other_evidence,
                    warnings: self.warnings(RecordKind::Isms, &role.id),
                }
            })
            .collect()
    }

    /// The operational planning page.
    pub(super) fn operations_page(&self) -> OperationsPage<'a> {
        let processes = self
            .isms_files()
            .flat_map(|f| &f.operations)
            .map(|op| ProcessView {
                id: &op.id,
                process: &op.process,
                criteria: &op.criteria,
                owner: self.person(&op.owner),
                controls: self.control_refs(&op.controls),
                evidence: self.evidence_links(&op.evidence),
                warnings: self.warnings(RecordKind::Isms, &op.id),
            })
            .collect();
        let mut changes: Vec<ChangeView> = self
            .isms_files()
            .flat_map(|f| &f.changes)
            .map(|ch| {
                let (status, tone) = match ch.status {
                    ChangeStatus::Planned => ("planned", "neutral"),
                    ChangeStatus::InProgress => ("in progress", "due"),
                    ChangeStatus::Done => ("done", "pass"),
                };
                ChangeView {
                    id: &ch.id,
                    title: &ch.title,
                    date: ch.date,
                    purpose: &ch.purpose,
                    consequences: ch.consequences.as_deref(),
                    owner: self.person(&ch.owner),
                    status,
                    tone,
                    evidence: self.evidence_links(&ch.evidence),
                }
            })
            .collect();
        changes.sort_by(|a, b| (a.date, a.id).cmp(&(b.date, b.id)));
        OperationsPage { processes, changes }
    }

    /// The monitoring and measurement page.
    pub(super) fn monitoring_page(&self) -> Vec<MeasurementView<'a>> {
        self.isms_files()
            .flat_map(|f| &f.monitoring)
            .map(|m| MeasurementView {
                id: &m.id,
                what: &m.what,
                method: &m.method,
                when: &m.when,
                by: self.person(&m.by),
                analysed_by: m.analysed_by.as_deref().map(|p| self.person(p)),
                objective: m.objective.as_deref(),
                results: m
                    .results
                    .iter()
                    .map(|r| ResultView {
                        period: None,
                        date: r.date,
                        status: None,
                        tone: "neutral",
                        value: &r.value,
                        evidence: self.evidence_links(&r.evidence),
                        note: r.note.as_deref(),
                    })
                    .collect(),
                warnings: self.warnings(RecordKind::Isms, &m.id),
            })
            .collect()
    }

    /// The audit programme page.
    pub(super) fn programme_page(&self) -> ProgrammePage<'a> {
        let as_of = self.content.as_of();
        let programme = self.isms_files().find_map(|f| f.audit_programme.as_ref());
        let mut years: BTreeMap<i32, Vec<AuditView>> = BTreeMap::new();
        let mut covered: Vec<&str> = Vec::new();
        let mut named: Vec<&str> = Vec::new();
        for a in programme.iter().flat_map(|p| &p.audits) {
            let report = a.report.as_deref().map(|id| {
                named.push(id);
                let review = self
                    .index
                    .reviews
                    .get(id)
                    .map(|&k| &self.content.reviews[k].meta);
                (
                    Link {
                        id,
                        href: review.map(|_| record_page("reviews", id)),
                        title: "",
                    },
                    review.and_then(|r| r.title.clone()).unwrap_or_default(),
                    review.map(|r| r.date),
                )
            });
            let (status, tone) = match (&report, as_of) {
                (Some(_), _) => ("done", "pass"),
                (None, Some(d)) if a.planned < d => ("overdue", "overdue"),
                (None, _) => ("planned", "neutral"),
            };
            covered.extend(a.clauses.iter().map(String::as_str));
            years.entry(a.planned.year()).or_default().push(AuditView {
                id: &a.id,
                planned: a.planned,
                scope: &a.scope,
                clauses: &a.clauses,
                controls: self.control_refs(&a.controls),
                auditor: self.person(&a.auditor),
                report,
                status,
                tone,
                warnings: self.warnings(RecordKind::Isms, &a.id),
                independent: !a.controls.iter().any(|c| {
                    self.index.controls.get(c.as_str()).is_some_and(|&i| {
                        let c = &self.content.controls[i].value;
                        c.owner == a.auditor || c.operator == a.auditor
                    })
                }),
            });
        }
        let main = |c: &str| c.split('.').next().unwrap_or(c).to_string();
        let mut clauses_covered: Vec<&str> = covered.clone();
        clauses_covered.sort_by_key(|c| clause_key(c));
        clauses_covered.dedup();
        let clauses_uncovered = MAIN_CLAUSES
            .into_iter()
            .filter(|m| !covered.iter().any(|c| main(c) == *m))
            .collect();
        let unplanned_reports = self
            .reviews
            .iter()
            .filter(|r| r.kind == ReviewKind::InternalAudit && !named.contains(&r.id))
            .map(|r| Link {
                id: r.id,
                href: Some(record_page("reviews", r.id)),
                title: "",
            })
            .collect();
        for list in years.values_mut() {
            list.sort_by(|a, b| (a.planned, a.id).cmp(&(b.planned, b.id)));
        }
        ProgrammePage {
            declared: programme.is_some(),
            cycle: programme.map(|p| (p.cycle.start, p.cycle.end)),
            owner: programme.map(|p| self.person(&p.owner)),
            frequency: programme.map(|p| p.frequency.as_str()),
            years: years
                .into_iter()
                .map(|(year, audits)| AuditYear { year, audits })
                .collect(),
            clauses_covered,
            clauses_uncovered,
            unplanned_reports,
        }
    }
}

/// An objective result's status in words and its badge tone.
fn objective_status(status: ObjectiveStatus) -> (&'static str, &'static str) {
    match status {
        ObjectiveStatus::Met => ("met", "pass"),
        ObjectiveStatus::NotMet => ("not met", "exception"),
        ObjectiveStatus::InProgress => ("in progress", "due"),
    }
}

/// Sort key of a clause id: `9.2` after `9.1`, `10` after `9`.
fn clause_key(c: &str) -> Vec<u32> {
    c.split('.')
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_sort_by_their_numbers() {
        let mut c = vec!["10.2", "9.2", "9.10", "4", "9.1"];
        c.sort_by_key(|c| clause_key(c));
        assert_eq!(c, ["4", "9.1", "9.2", "9.10", "10.2"]);
    }

    #[test]
    fn objective_results_have_words_and_tones() {
        assert_eq!(objective_status(ObjectiveStatus::Met), ("met", "pass"));
        assert_eq!(
            objective_status(ObjectiveStatus::NotMet),
            ("not met", "exception")
        );
        assert_eq!(
            objective_status(ObjectiveStatus::InProgress),
            ("in progress", "due")
        );
    }
}
